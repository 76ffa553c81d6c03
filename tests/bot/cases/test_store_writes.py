"""CaseStore writes for the negotiation: arrangements, disputes, complaints, callbacks; idempotent, one transaction."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from bot.cases import CaseStore, migrate
from bot.cases.db import get_engine
from bot.cases.models import (
    Arrangement,
    ArrangementKind,
    ArrangementStatus,
    Base,
    CallbackTask,
    CaseStatus,
    Channel,
    Complaint,
    Dispute,
    DisputeStatus,
    JournalEntry,
    JournalKind,
    TaskStatus,
)
from bot.cases.store import CaseOnHold, StaleOption, UnknownCase
from bot.negotiation import OptionKind, ProfileKind, declared_capacity, propose_options

TODAY = date(2026, 11, 25)
OPEN_CASE = "REC-2026-000101"  # ouvert, nothing paid, no arrangement
LIVE_CASE = "REC-2026-000132"  # accepted plan, two lines paid
BROKEN_CASE = "REC-2026-000136"  # broken plan: September, October and November missed
DISPUTED_CASE = "REC-2026-000147"  # open dispute


def _options(store: CaseStore, reference: str, capacity: str = "40"):  # type: ignore[no-untyped-def]
    case = store.case_view(reference)
    assert case is not None
    return propose_options(case, case.policy, declared_capacity(capacity), TODAY, pay_day=5)


def _option(store: CaseStore, reference: str, kind: OptionKind, capacity: str = "40"):  # type: ignore[no-untyped-def]
    return next(option for option in _options(store, reference, capacity) if option.kind is kind)


def _count(store: CaseStore, model: type) -> int:
    with store.session() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def _journal(store: CaseStore, kind: JournalKind) -> list[JournalEntry]:
    with store.session() as session:
        return list(session.execute(select(JournalEntry).where(JournalEntry.kind == kind)).scalars())


# ---------------------------------------------------------------- arrangements


def test_record_arrangement_writes_the_option_exactly(demo_store: CaseStore) -> None:
    option = _option(demo_store, OPEN_CASE, OptionKind.ECHEANCIER)
    record = demo_store.record_arrangement(
        OPEN_CASE.lower(), option, channel=Channel.CHAT, idempotency_key="conv-1:accord", today=TODAY
    )
    assert record.created and record.reference == OPEN_CASE and record.accepted_on == TODAY
    assert record.kind is ArrangementKind.ECHEANCIER and record.status is ArrangementStatus.ACCEPTE
    assert [(line.seq, line.due_date, line.amount) for line in record.lines] == [
        (seq, line.date, line.amount) for seq, line in enumerate(option.schedule, 1)
    ]
    assert record.total == option.total == sum(line.amount for line in option.schedule)
    case = demo_store.case_view(OPEN_CASE)
    assert case is not None and case.status is CaseStatus.ACCORD
    [stored] = case.arrangements
    assert stored.status is ArrangementStatus.ACCEPTE and stored.channel is Channel.CHAT
    assert stored.total + stored.discount == case.amount_due
    [entry] = [e for e in _journal(demo_store, JournalKind.AGREEMENT) if e.case_id and e.details]
    assert entry.details["arrangement_id"] == record.id and entry.dedup_key
    assert entry.details["total"] == f"{option.total:.2f}"


def test_full_payment_keeps_its_discount_to_the_cent(demo_store: CaseStore) -> None:
    option = _option(demo_store, OPEN_CASE, OptionKind.PAIEMENT_INTEGRAL, capacity="500")
    assert option.discount > 0
    record = demo_store.record_arrangement(
        OPEN_CASE, option, channel=Channel.AGENT, idempotency_key="conv-2:accord", today=TODAY
    )
    assert record.kind is ArrangementKind.PAIEMENT_TOTAL and record.discount == option.discount
    case = demo_store.case_view(OPEN_CASE)
    assert case is not None
    assert case.arrangements[0].discount == option.discount
    assert case.arrangements[0].total + option.discount == case.amount_due


def test_a_retried_arrangement_writes_nothing(sqlite_demo_store: CaseStore) -> None:
    store = sqlite_demo_store
    option = _option(store, OPEN_CASE, OptionKind.ECHEANCIER)
    first = store.record_arrangement(OPEN_CASE, option, channel=Channel.CHAT, idempotency_key="k-1", today=TODAY)
    counts = [_count(store, model) for model in (Arrangement, JournalEntry)]
    again = store.record_arrangement(OPEN_CASE, option, channel=Channel.CHAT, idempotency_key="k-1", today=TODAY)
    assert not again.created and again.id == first.id and again.lines == first.lines
    assert [_count(store, model) for model in (Arrangement, JournalEntry)] == counts


def test_a_key_used_for_another_case_is_refused(sqlite_demo_store: CaseStore) -> None:
    store = sqlite_demo_store
    store.record_arrangement(
        OPEN_CASE,
        _option(store, OPEN_CASE, OptionKind.ECHEANCIER),
        channel=Channel.CHAT,
        idempotency_key="k-2",
        today=TODAY,
    )
    other = "REC-2026-000117"
    with pytest.raises(ValueError, match="autre dossier"):
        store.record_arrangement(
            other,
            _option(store, other, OptionKind.ECHEANCIER),
            channel=Channel.CHAT,
            idempotency_key="k-2",
            today=TODAY,
        )
    assert store.case_view(other).arrangements == []  # type: ignore[union-attr]


def test_a_new_arrangement_cancels_the_live_one(sqlite_demo_store: CaseStore) -> None:
    store = sqlite_demo_store
    before = store.case_view(LIVE_CASE)
    assert before is not None and [a.status for a in before.arrangements] == [ArrangementStatus.ACCEPTE]
    option = _option(store, LIVE_CASE, OptionKind.ECHEANCIER, capacity="30")
    record = store.record_arrangement(LIVE_CASE, option, channel=Channel.CHAT, idempotency_key="k-3", today=TODAY)
    after = store.case_view(LIVE_CASE)
    assert after is not None
    assert [a.status for a in after.arrangements] == [ArrangementStatus.ANNULE, ArrangementStatus.ACCEPTE]
    assert len(record.replaced) == 1
    live = store.live_arrangement(LIVE_CASE)
    assert live is not None and live.total == option.total and live.lines[-1].due_date == option.schedule[-1].date


def test_orientation_is_refused_and_nothing_is_written(sqlite_demo_store: CaseStore) -> None:
    store = sqlite_demo_store
    case = store.case_view(OPEN_CASE)
    assert case is not None
    orientation = next(
        option
        for option in propose_options(case, case.policy, declared_capacity("0"), TODAY)
        if option.kind is OptionKind.ORIENTATION
    )
    before = _count(store, Arrangement)
    with pytest.raises(ValueError, match="orientation"):
        store.record_arrangement(OPEN_CASE, orientation, channel=Channel.CHAT, idempotency_key="k-4", today=TODAY)
    assert _count(store, Arrangement) == before
    assert store.case_view(OPEN_CASE).status is CaseStatus.OUVERT  # type: ignore[union-attr]


def test_a_stale_option_is_refused(sqlite_demo_store: CaseStore) -> None:
    store = sqlite_demo_store
    option = _option(store, OPEN_CASE, OptionKind.ECHEANCIER)
    stale = option.copy(update={"amount_due": option.amount_due + Decimal("10.00")})
    with pytest.raises(StaleOption, match="montant dû"):
        store.record_arrangement(OPEN_CASE, stale, channel=Channel.CHAT, idempotency_key="k-5", today=TODAY)
    assert store.case_view(OPEN_CASE).arrangements == []  # type: ignore[union-attr]


def test_no_arrangement_while_a_dispute_is_open(sqlite_demo_store: CaseStore) -> None:
    store = sqlite_demo_store
    option = _option(store, DISPUTED_CASE, OptionKind.ECHEANCIER)
    with pytest.raises(CaseOnHold, match="contestation"):
        store.record_arrangement(DISPUTED_CASE, option, channel=Channel.CHAT, idempotency_key="k-6", today=TODAY)
    assert store.case_view(DISPUTED_CASE).status is CaseStatus.LITIGE  # type: ignore[union-attr]


def test_every_write_refuses_an_unknown_case(sqlite_demo_store: CaseStore) -> None:
    store = sqlite_demo_store
    option = _option(store, OPEN_CASE, OptionKind.ECHEANCIER)
    calls = [
        lambda ref: store.record_arrangement(ref, option, channel=Channel.CHAT, idempotency_key="u1", today=TODAY),
        lambda ref: store.open_dispute(ref, reason="Montant faux", idempotency_key="u2", today=TODAY),
        lambda ref: store.record_complaint(ref, text="Trop d'appels", idempotency_key="u3", today=TODAY),
        lambda ref: store.request_callback(
            ref, reason="conseiller", summary="Rappel", idempotency_key="u4", due_at=datetime(2026, 11, 26, 10)
        ),
        store.live_arrangement,
        store.broken_arrangement,
        store.profile_of,
    ]
    before = [_count(store, model) for model in (CallbackTask, Dispute, Complaint, Arrangement, JournalEntry)]
    for call in calls:
        with pytest.raises(UnknownCase, match="Aucun dossier REC-1999-000001"):
            call("REC-1999-000001")
        with pytest.raises(UnknownCase):
            call("n'importe quoi")
    assert [_count(store, model) for model in (CallbackTask, Dispute, Complaint, Arrangement, JournalEntry)] == before


# ---------------------------------------------------------------- disputes, complaints, callbacks


def test_open_dispute_puts_collection_on_hold_once(demo_store: CaseStore) -> None:
    first = demo_store.open_dispute(
        LIVE_CASE, reason="Le débiteur indique avoir déjà tout réglé", idempotency_key="d-1", today=TODAY
    )
    again = demo_store.open_dispute(LIVE_CASE, reason="autre texte", idempotency_key="d-1", today=TODAY)
    assert first.created and not again.created and again.id == first.id
    assert again.reason == "Le débiteur indique avoir déjà tout réglé"
    case = demo_store.case_view(LIVE_CASE)
    assert case is not None and case.status is CaseStatus.LITIGE
    assert [(d.status, d.opened_on) for d in case.disputes] == [(DisputeStatus.OUVERT, TODAY)]
    assert len(_journal(demo_store, JournalKind.DISPUTE)) == 1


def test_record_complaint_once(sqlite_demo_store: CaseStore) -> None:
    store = sqlite_demo_store
    before = store.case_view(OPEN_CASE)
    assert before is not None
    first = store.record_complaint(OPEN_CASE, text="On m'appelle tous les jours", idempotency_key="c-1", today=TODAY)
    again = store.record_complaint(OPEN_CASE, text="On m'appelle tous les jours", idempotency_key="c-1", today=TODAY)
    assert first.created and not again.created and first.id == again.id
    case = store.case_view(OPEN_CASE)
    assert case is not None and case.status is before.status
    assert [(c.text, c.received_on) for c in case.complaints] == [("On m'appelle tous les jours", TODAY)]
    assert len(_journal(store, JournalKind.COMPLAINT)) == 1


def test_request_callback_with_and_without_a_case(sqlite_demo_store: CaseStore) -> None:
    store = sqlite_demo_store
    due = datetime(2026, 11, 26, 9, 30)
    task = store.request_callback(
        OPEN_CASE, reason="vulnerabilite", summary="Hospitalisation récente", idempotency_key="cb-1", due_at=due
    )
    again = store.request_callback(
        OPEN_CASE, reason="vulnerabilite", summary="Hospitalisation récente", idempotency_key="cb-1", due_at=due
    )
    anonymous = store.request_callback(
        None, reason="conseiller", summary="Personne non identifiée", idempotency_key="cb-2", due_at=due
    )
    assert task.created and not again.created and task.id == again.id
    assert task.reference == OPEN_CASE and anonymous.reference is None and anonymous.created
    with store.session() as session:
        tasks = list(session.execute(select(CallbackTask).order_by(CallbackTask.id)).scalars())
    assert [(t.reason, t.status, t.due_at) for t in tasks] == [
        ("vulnerabilite", TaskStatus.A_FAIRE, due),
        ("conseiller", TaskStatus.A_FAIRE, due),
    ]
    [handover] = _journal(store, JournalKind.HANDOVER)
    assert "Hospitalisation" not in (handover.text or "")  # what the debtor confided stays on the task
    with pytest.raises(ValueError, match="motif"):
        store.request_callback(None, reason="Pas un motif !", summary="x", idempotency_key="cb-3", due_at=due)


# ---------------------------------------------------------------- reads for the conversation


def test_live_and_broken_arrangements(sqlite_demo_store: CaseStore) -> None:
    store = sqlite_demo_store
    live = store.live_arrangement(LIVE_CASE)
    assert live is not None and live.status is ArrangementStatus.ACCEPTE
    assert store.broken_arrangement(LIVE_CASE) is None
    assert store.live_arrangement(BROKEN_CASE) is None
    broken = store.broken_arrangement(BROKEN_CASE, today=TODAY)
    assert broken is not None and broken.arrangement.status is ArrangementStatus.ROMPU
    assert [line.due_date for line in broken.missed_lines] == [
        date(2026, 9, 15),
        date(2026, 10, 15),
        date(2026, 11, 15),
    ]
    within_grace = store.broken_arrangement(BROKEN_CASE, today=date(2026, 11, 20))
    assert within_grace is not None and len(within_grace.missed_lines) == 2
    assert broken.missed_amount == Decimal("444.63")
    option = _option(store, BROKEN_CASE, OptionKind.ECHEANCIER, capacity="100")
    store.record_arrangement(BROKEN_CASE, option, channel=Channel.AGENT, idempotency_key="again", today=TODAY)
    assert store.broken_arrangement(BROKEN_CASE, today=TODAY) is None  # a new promise was made since
    assert store.live_arrangement(BROKEN_CASE) is not None


def test_profile_of_reads_the_case_history(sqlite_demo_store: CaseStore) -> None:
    store = sqlite_demo_store
    durable = store.profile_of(BROKEN_CASE, intents=["difficultes_financieres"], today=TODAY)
    assert durable.kind is ProfileKind.DIFFICULTE_DURABLE
    assert any("non tenu" in line for line in durable.evidence)
    assert store.profile_of(DISPUTED_CASE).kind is ProfileKind.CONTESTATION
    assert store.profile_of(OPEN_CASE).kind is None
    assert store.profile_of(OPEN_CASE, intents=["signaler_vulnerabilite"]).kind is ProfileKind.VULNERABILITE


# ---------------------------------------------------------------- concurrency


async def test_concurrent_retries_write_one_arrangement(demo_store: CaseStore) -> None:
    option = _option(demo_store, OPEN_CASE, OptionKind.ECHEANCIER)

    def accept(key: str):  # type: ignore[no-untyped-def]
        return demo_store.record_arrangement(OPEN_CASE, option, channel=Channel.CHAT, idempotency_key=key, today=TODAY)

    same = await asyncio.gather(*(asyncio.to_thread(accept, "same-key") for _ in range(6)))
    assert len({record.id for record in same}) == 1 and sum(record.created for record in same) == 1
    different = await asyncio.gather(*(asyncio.to_thread(accept, f"key-{n}") for n in range(4)))
    assert all(record.created for record in different)
    case = demo_store.case_view(OPEN_CASE)
    assert case is not None and len(case.arrangements) == 5
    assert sum(a.status is ArrangementStatus.ACCEPTE for a in case.arrangements) == 1
    assert len([e for e in _journal(demo_store, JournalKind.AGREEMENT)]) == 5


async def test_concurrent_callbacks_without_a_case(demo_store: CaseStore) -> None:
    def ask() -> int:
        return demo_store.request_callback(
            None, reason="conseiller", summary="Rappel", idempotency_key="anon-1", due_at=datetime(2026, 11, 26, 9)
        ).id

    ids = await asyncio.gather(*(asyncio.to_thread(ask) for _ in range(5)))
    assert len(set(ids)) == 1 and _count(demo_store, CallbackTask) == 1


# ---------------------------------------------------------------- migration 0002


def test_migration_0002_up_down_up(empty_store_url: str) -> None:
    engine = get_engine(empty_store_url)
    migrate.upgrade(empty_store_url, "0001")
    assert "idempotency_key" not in {c["name"] for c in inspect(engine).get_columns("disputes")}
    migrate.upgrade(empty_store_url)
    columns = {
        table: {c["name"] for c in inspect(engine).get_columns(table)} for table in inspect(engine).get_table_names()
    }
    for table in ("disputes", "complaints", "callback_tasks"):
        assert "idempotency_key" in columns[table]
    assert "dedup_key" in columns["payments"]
    assert {"accepted_on", "paid_before"} <= columns["arrangements"]
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO callback_tasks (reason, summary, due_at, status, idempotency_key) "
                "VALUES ('conseiller', 's', '2026-11-26 09:00:00', 'a_faire', 'x')"
            )
        )
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO callback_tasks (reason, summary, due_at, status, idempotency_key) "
                "VALUES ('conseiller', 's', '2026-11-26 09:00:00', 'a_faire', 'x')"
            )
        )
    migrate.downgrade(empty_store_url, "0001")
    inspector = inspect(engine)
    assert "idempotency_key" not in {c["name"] for c in inspector.get_columns("callback_tasks")}
    assert "dedup_key" not in {c["name"] for c in inspector.get_columns("payments")}
    assert not {"accepted_on", "paid_before"} & {c["name"] for c in inspector.get_columns("arrangements")}
    with engine.connect() as connection:  # the data survived the downgrade
        assert connection.execute(text("SELECT count(*) FROM callback_tasks")).scalar_one() == 1
    with pytest.raises(IntegrityError), engine.begin() as connection:  # the status CHECK survived too
        connection.execute(
            text(
                "INSERT INTO callback_tasks (reason, summary, due_at, status) "
                "VALUES ('conseiller', 's', '2026-11-26 09:00:00', 'n_importe')"
            )
        )
    migrate.upgrade(empty_store_url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_idempotency_keys_fit_their_column(sqlite_demo_store: CaseStore) -> None:
    store = sqlite_demo_store
    before = _count(store, Complaint)
    for key in ("", "   ", "x" * 81, "a\nb"):
        with pytest.raises(ValueError, match="clé d'idempotence invalide"):
            store.record_complaint(OPEN_CASE, text="Trop de relances", idempotency_key=key, today=TODAY)
    assert _count(store, Complaint) == before
    longest = "web 42:" + "x" * 73
    record = store.record_complaint(OPEN_CASE, text="Trop de relances", idempotency_key=longest, today=TODAY)
    assert record.created and _count(store, Complaint) == before + 1
