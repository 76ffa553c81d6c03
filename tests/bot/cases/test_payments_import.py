"""`amiable payments import`: validation, all or nothing, no duplicates, matching payments to the promises."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from bot.cases import CaseStore
from bot.cases.models import (
    ArrangementStatus,
    CaseStatus,
    Channel,
    JournalEntry,
    JournalKind,
    Payment,
)
from bot.cases.payments import PaymentImportReport, follow_up, import_payments, match_schedule
from bot.negotiation import OptionKind, declared_capacity, propose_options


def _import(store: CaseStore, path: Path, today: date, **options: object) -> PaymentImportReport:
    with store.session() as session:
        report = import_payments(session, path, today=today, **options)  # type: ignore[arg-type]
        if not report.ok:
            session.rollback()
    return report


def _payments(store: CaseStore) -> int:
    with store.session() as session:
        return session.execute(select(func.count(Payment.id))).scalar_one()


def _notes(store: CaseStore) -> list[JournalEntry]:
    with store.session() as session:
        return list(session.execute(select(JournalEntry).where(JournalEntry.kind == JournalKind.NOTE)).scalars())


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- matching, on plain data


@dataclass
class Line:
    seq: int
    due_date: date
    amount: Decimal
    paid: bool = False


@dataclass
class Paid:
    paid_on: date
    amount: Decimal


LINES = [Line(1, date(2027, 1, 5), Decimal("100.00")), Line(2, date(2027, 2, 5), Decimal("100.00"))]


def test_a_line_is_kept_up_to_five_days_after_its_due_date() -> None:
    on_time = match_schedule(LINES, [Paid(date(2027, 1, 10), Decimal("100.00"))], Decimal("0"), date(2027, 1, 20))
    late = match_schedule(LINES, [Paid(date(2027, 1, 11), Decimal("100.00"))], Decimal("0"), date(2027, 1, 20))
    waiting = match_schedule(LINES, [], Decimal("0"), date(2027, 1, 10))
    assert (on_time.kept, on_time.missed, on_time.pending) == ([1], [], [2])
    assert (late.kept, late.missed) == ([], [1])
    assert (waiting.kept, waiting.missed, waiting.pending) == ([], [], [1, 2])


def test_payments_cover_lines_cumulatively_after_what_was_paid_before() -> None:
    split = [Paid(date(2027, 1, 2), Decimal("60.00")), Paid(date(2027, 1, 4), Decimal("40.00"))]
    assert match_schedule(LINES, split, Decimal("0"), date(2027, 1, 20)).kept == [1]
    ahead = match_schedule(LINES, [Paid(date(2027, 1, 3), Decimal("200.00"))], Decimal("0"), date(2027, 3, 1))
    assert ahead.all_kept and ahead.kept == [1, 2]
    short = match_schedule(LINES, [Paid(date(2027, 1, 3), Decimal("199.99"))], Decimal("0"), date(2027, 3, 1))
    assert (short.kept, short.missed) == ([1], [2])
    earlier = [Paid(date(2026, 12, 1), Decimal("50.00")), Paid(date(2027, 1, 5), Decimal("100.00"))]
    offset = match_schedule(LINES, earlier, Decimal("50.00"), date(2027, 1, 20))
    assert offset.kept == [1]
    assert match_schedule(LINES, earlier, Decimal("100.00"), date(2027, 1, 20)).missed == [1]


# ---------------------------------------------------------------- the import, on the demo data

FILE = (
    "reference;montant;date;moyen\n"
    "REC-2026-000132;69,19;05/12/2026;prélèvement\n"  # third line of a running plan
    "REC-2026-000111;63,70;14/12/2026;carte\n"  # the last two lines of a plan...
    "rec-2026-000111;63,70;2027-01-06;Virement\n"
    "REC-2026-000108;20,00;21/12/2026;virement\n"  # too little for the 20 December line
    "REC-2026-000119;2 018,84;28/11/2026;virement\n"  # a full payment with its discount
    "REC-2026-000102;69,51;10/12/2026;carte\n"  # on a plan made after a 100 € payment (demo: no paid_before)
)
FOLLOW_UP_DAY = date(2027, 1, 8)


def test_import_records_payments_and_follows_the_promises(demo_store: CaseStore, tmp_path: Path) -> None:
    path = _write(tmp_path, "paiements.csv", FILE)
    before = _payments(demo_store)
    report = _import(demo_store, path, FOLLOW_UP_DAY)
    assert report.ok, report.errors
    assert (report.rows_read, report.recorded, report.already_known) == (6, 6, 0)
    assert _payments(demo_store) == before + 6
    follow = report.follow_up
    assert follow is not None and follow.cases_examined == 5
    assert (follow.lines_kept, follow.lines_missed) == (5, 1)
    assert [promise.reference for promise in follow.broken] == ["REC-2026-000108"]
    assert sorted(follow.kept) == sorted(follow.settled) == ["REC-2026-000111", "REC-2026-000119"]

    running = demo_store.case_view("REC-2026-000132")
    assert running is not None and running.status is CaseStatus.ACCORD
    assert [line.paid for line in running.arrangements[0].lines] == [True, True, True, False, False, False]
    assert running.arrangements[0].status is ArrangementStatus.ACCEPTE  # 5 January: still within the grace
    after_first_payment = demo_store.case_view("REC-2026-000102")
    assert after_first_payment is not None
    assert after_first_payment.arrangements[0].status is ArrangementStatus.ACCEPTE
    assert [line.paid for line in after_first_payment.arrangements[0].lines[:4]] == [True, True, True, False]

    broken = demo_store.case_view("REC-2026-000108")
    assert broken is not None and broken.status is CaseStatus.OUVERT
    assert broken.arrangements[0].status is ArrangementStatus.ROMPU
    missed = demo_store.broken_arrangement("REC-2026-000108", today=FOLLOW_UP_DAY)
    assert missed is not None and [line.due_date for line in missed.missed_lines] == [date(2026, 12, 20)]

    for reference in ("REC-2026-000111", "REC-2026-000119"):
        settled = demo_store.case_view(reference)
        assert settled is not None and settled.status is CaseStatus.SOLDE
        assert settled.arrangements[0].status is ArrangementStatus.TENU
        assert all(line.paid for line in settled.arrangements[0].lines)
    notes = _notes(demo_store)
    assert len(notes) == 3 and all(note.channel is Channel.IMPORT for note in notes)
    assert any("rompu" in (note.text or "") and "20 décembre 2026" in (note.text or "") for note in notes)

    again = _import(demo_store, path, FOLLOW_UP_DAY)
    assert again.ok and (again.recorded, again.already_known) == (0, 6)
    assert _payments(demo_store) == before + 6 and len(_notes(demo_store)) == 3
    assert again.follow_up is not None and again.follow_up.broken == [] and again.follow_up.lines_kept == 0


def test_one_bad_row_writes_nothing_and_every_error_has_its_line(demo_store: CaseStore, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "erreurs.csv",
        "reference,montant,date,moyen\n"
        'REC-2026-000132,"69,19",05/12/2026,virement\n'
        "REC-1999-000001,10,01/12/2026,virement\n"
        "REC-2026-000132,abc,01/12/2026,virement\n"
        "REC-2026-000132,10,31/02/2026,virement\n"
        "REC-2026-000132,10,01/12/2026,bitcoin\n"
        "REC-2026-000132,10,01/12/2030,carte\n"
        "REC-2026-000101,500,01/12/2026,carte\n"
        "REC-2026-000132,0,01/12/2026,carte\n"
        "REC-2026-000132,10,,carte\n",
    )
    before = _payments(demo_store)
    report = _import(demo_store, path, date(2026, 12, 10))
    messages = {error.line: str(error) for error in report.errors}
    assert sorted(messages) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "dossier inconnu REC-1999-000001" in messages[3]
    assert "montant illisible" in messages[4]
    assert "date impossible" in messages[5]
    assert "moyen de paiement inconnu « bitcoin »" in messages[6]
    assert "1er décembre 2030, après la date du suivi" in messages[7]
    assert "dépasseraient la créance" in messages[8] and "187,82" in messages[8]
    assert "supérieur à zéro" in messages[9]
    assert "date : valeur manquante" in messages[10]
    assert messages[3].startswith("ligne 3 : ")
    assert report.recorded == 0 and report.follow_up is None
    assert _payments(demo_store) == before
    assert demo_store.case_view("REC-2026-000132").arrangements[0].lines[2].paid is False  # type: ignore[union-attr]


def test_bad_header_is_reported_on_line_one(sqlite_demo_store: CaseStore, tmp_path: Path) -> None:
    missing = _import(
        sqlite_demo_store, _write(tmp_path, "a.csv", "reference;montant;date\nx;1;2026-01-01\n"), date.today()
    )
    assert [str(error) for error in missing.errors] == ["ligne 1 : colonnes obligatoires absentes : moyen"]
    extra = _import(
        sqlite_demo_store,
        _write(tmp_path, "b.csv", "Référence;Montant;Date;Moyen;IBAN\nx;1;2026-01-01;carte;FR76\n"),
        date.today(),
    )
    assert [error.line for error in extra.errors] == [1] and "colonnes inconnues : iban" in str(extra.errors[0])
    empty = _import(sqlite_demo_store, _write(tmp_path, "c.csv", ""), date.today())
    assert "vide" in str(empty.errors[0])


def test_known_payments_and_identical_rows(sqlite_demo_store: CaseStore, tmp_path: Path) -> None:
    store = sqlite_demo_store
    path = _write(
        tmp_path,
        "doublons.csv",
        "reference;montant;date;moyen\n"
        "REC-2026-000132;69,19;2026-10-05;prelevement\n"  # already in the demo data
        "REC-2024-001973;25,00;2026-11-20;cheque\n"
        "REC-2024-001973;25,00;2026-11-20;cheque\n",  # a second cheque of the same amount, the same day
    )
    before = _payments(store)
    report = _import(store, path, date(2026, 11, 25))
    assert report.ok and (report.recorded, report.already_known) == (2, 1)
    assert _payments(store) == before + 2
    bigger = _write(
        tmp_path, "plus.csv", path.read_text(encoding="utf-8") + "REC-2024-001973;25,00;20/11/2026;cheque\n"
    )
    third = _import(store, bigger, date(2026, 11, 25))
    assert (third.recorded, third.already_known) == (1, 3)
    with store.session() as session:
        keys = sorted(session.execute(select(Payment.dedup_key).where(Payment.dedup_key.is_not(None))).scalars())
    assert keys == [f"REC-2024-001973|2026-11-20|2500|cheque|{n}" for n in (1, 2, 3)]


def test_a_plan_accepted_in_the_chat_is_matched_from_its_acceptance(
    sqlite_demo_store: CaseStore, tmp_path: Path
) -> None:
    store = sqlite_demo_store
    reference = "REC-2024-002788"  # nothing paid, no arrangement
    today = date(2026, 11, 25)
    case = store.case_view(reference)
    assert case is not None
    option = next(
        o
        for o in propose_options(case, case.policy, declared_capacity("400"), today, pay_day=5)
        if o.kind is OptionKind.ECHEANCIER
    )
    store.record_arrangement(reference, option, channel=Channel.CHAT, idempotency_key="chat-42", today=today)
    first, second = option.schedule[0], option.schedule[1]
    # paid in two parts, the first one the day before the conversation reached the bank export
    path = _write(
        tmp_path,
        "p.csv",
        "reference;montant;date;moyen\n"
        f"{reference};100,00;2026-11-24;carte\n"
        f"{reference};{first.amount - Decimal('100.00')};{first.date.isoformat()};carte\n",
    )
    report = _import(store, path, second.date + timedelta(days=6))
    assert report.ok, report.errors
    view = store.case_view(reference)
    assert view is not None
    [arrangement] = view.arrangements
    assert arrangement.status is ArrangementStatus.ROMPU
    assert [line.paid for line in arrangement.lines[:2]] == [True, False]


def test_following_the_demo_on_its_reference_day_changes_nothing(sqlite_demo_store: CaseStore) -> None:
    store = sqlite_demo_store
    before = {case.reference: case for case in store.case_views()}
    with store.session() as session:
        report = follow_up(session, date(2026, 11, 22), every_accepted=True)
    assert report.cases_examined == 7
    assert (report.lines_kept, report.lines_missed, report.broken, report.kept) == (0, 0, [], [])
    assert {case.reference: case for case in store.case_views()} == before


def test_follow_all_finds_a_promise_broken_without_any_payment(sqlite_demo_store: CaseStore, tmp_path: Path) -> None:
    store = sqlite_demo_store
    empty = _write(tmp_path, "vide.csv", "reference;montant;date;moyen\n")
    touched_only = _import(store, empty, date(2026, 12, 16))
    assert touched_only.ok and touched_only.follow_up is not None and touched_only.follow_up.cases_examined == 0
    store.open_dispute("REC-2026-000106", reason="Loyer de juin déjà payé", idempotency_key="d-106", today=date.today())
    one = _write(tmp_path, "un.csv", "reference;montant;date;moyen\nREC-2026-000124;39,97;02/12/2026;carte\n")
    report = _import(store, one, date(2026, 12, 16), follow_all=True)
    assert report.follow_up is not None and report.follow_up.cases_examined == 8
    assert report.follow_up.settled == ["REC-2026-000124"]
    assert sorted(p.reference for p in report.follow_up.broken) == [
        "REC-2026-000102",
        "REC-2026-000119",
        "REC-2026-000132",
    ]
    assert store.case_view("REC-2026-000132").status is CaseStatus.OUVERT  # type: ignore[union-attr]
    on_hold = store.case_view("REC-2026-000106")  # a contestation suspends the collection: nothing is broken
    assert on_hold is not None and on_hold.status is CaseStatus.LITIGE
    assert on_hold.arrangements[0].status is ArrangementStatus.ACCEPTE


def test_paying_everything_settles_the_case_and_drops_a_pending_proposal(
    sqlite_demo_store: CaseStore, tmp_path: Path
) -> None:
    reference = "REC-2026-000156"  # a full payment proposed, not accepted yet
    path = _write(tmp_path, "total.csv", f"reference;montant;date;moyen\n{reference};104,97;24/11/2026;carte\n")
    report = _import(sqlite_demo_store, path, date(2026, 11, 25))
    assert report.ok and report.follow_up is not None and report.follow_up.settled == [reference]
    case = sqlite_demo_store.case_view(reference)
    assert case is not None and case.status is CaseStatus.SOLDE and case.amount_due == 0
    assert [a.status for a in case.arrangements] == [ArrangementStatus.ANNULE]
    assert sqlite_demo_store.live_arrangement(reference) is None


def test_a_big_file_reports_progress_and_stays_fast(sqlite_demo_store: CaseStore, tmp_path: Path) -> None:
    references = ["REC-2024-001973", "REC-2025-002215", "REC-2025-003654"]
    rows = [
        f"{references[n % 3]};0,{n % 90 + 10:02d};{date(2026, 1, 1) + timedelta(days=n % 300):%d/%m/%Y};carte"
        for n in range(6000)
    ]
    path = _write(tmp_path, "gros.csv", "reference;montant;date;moyen\n" + "\n".join(rows) + "\n")
    calls: list[tuple[str, int, int]] = []
    started = time.perf_counter()
    report = _import(sqlite_demo_store, path, date(2026, 11, 25), progress=lambda *call: calls.append(call))
    elapsed = time.perf_counter() - started
    assert report.ok and report.recorded == 6000
    assert [call for call in calls if call[0] == "validation"][-1] == ("validation", 6000, 6000)
    assert len([call for call in calls if call[0] == "validation"]) >= 5
    assert elapsed < 15
    again = _import(sqlite_demo_store, path, date(2026, 11, 25))
    assert (again.recorded, again.already_known) == (0, 6000)
