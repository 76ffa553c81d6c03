"""`amiable payments import FILE.csv`: record payments, then follow the promises up.

Reading: columns `reference;montant;date;moyen` (`,` or `;`), French amounts ("120,50") and dates ("05/12/2026")
or ISO ones; every row is validated, with its line number, and the file is written whole or not at all.

Duplicates: a payment is identified by reference + date + amount + method and its occurrence number among the
identical rows of the file (two identical rows are two payments). The n-th occurrence is skipped when the case
already holds n payments like it (imported before, or recorded by another channel); a recorded one keeps
`reference|date|cents|method|n` in the unique `payments.dedup_key`, so two concurrent imports cannot both write it.

Follow-up: the payments received after an arrangement was accepted are matched to its schedule lines in date
order; a line is kept when what was received by its due date + `GRACE_DAYS` covers it cumulatively, missed when
that day is past and it is not covered. One missed line breaks the arrangement (ROMPU); all lines kept make it
TENU, and the case SOLDE when nothing is left to pay.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Protocol, TypeVar

from pydantic import BaseModel, ValidationError, validator
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from bot.cases.importer import RowError, _explain
from bot.cases.models import (
    Arrangement,
    ArrangementStatus,
    Case,
    CaseStatus,
    Channel,
    JournalEntry,
    JournalKind,
    Payment,
    PaymentMethod,
)
from bot.cases.schemas import normalise_reference, parse_money
from bot.text import format_date, format_euros

GRACE_DAYS = 5
ZERO = Decimal("0.00")
COLUMNS = ("reference", "montant", "date", "moyen")
CHUNK = 500
METHOD_ALIASES = {
    "cb": "carte",
    "carte bancaire": "carte",
    "virement bancaire": "virement",
    "prelevement sepa": "prelevement",
    "sepa": "prelevement",
}
Progress = Callable[[str, int, int], None]
Item = TypeVar("Item")


def _plain(text: str) -> str:
    """Lower case, no accents, single spaces: "Prélèvement " → "prelevement"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).split())


def parse_day(value: object) -> object:
    """A French date (JJ/MM/AAAA) as a `date`; anything else is left to pydantic (ISO dates)."""
    if isinstance(value, str) and re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", value.strip()):
        day, month, year = (int(part) for part in value.strip().split("/"))
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"date impossible « {value} »") from None
    return value


class PaymentRow(BaseModel):
    """One CSV row of `amiable payments import` (field names are the French column names)."""

    reference: str
    montant: Decimal
    date: dt.date
    moyen: PaymentMethod

    _reference = validator("reference", pre=True, allow_reuse=True)(normalise_reference)
    _date = validator("date", pre=True, allow_reuse=True)(parse_day)

    @validator("montant", pre=True)
    def _amount(cls, value: object) -> Decimal:
        amount = parse_money(value)
        if amount == 0:
            raise ValueError("un paiement doit être supérieur à zéro")
        return amount

    @validator("moyen", pre=True)
    def _method(cls, value: object) -> str:
        text = _plain(str(value))
        text = METHOD_ALIASES.get(text, text)
        if text not in {method.value for method in PaymentMethod}:
            raise ValueError(f"moyen de paiement inconnu « {value} » (virement, carte, prelevement ou cheque)")
        return text

    def signature(self) -> tuple[str, dt.date, Decimal, PaymentMethod]:
        return (self.reference, self.date, self.montant, self.moyen)


def dedup_key(row: PaymentRow, occurrence: int) -> str:
    return f"{row.reference}|{row.date.isoformat()}|{int(row.montant * 100)}|{row.moyen.value}|{occurrence}"


# ---------------------------------------------------------------- matching payments to a schedule


class LineLike(Protocol):
    seq: int
    due_date: dt.date
    amount: Decimal
    paid: bool


class PaymentLike(Protocol):
    paid_on: dt.date
    amount: Decimal


@dataclass
class ScheduleMatch:
    kept: list[int]  # seq of the lines covered in time (already paid ones included)
    missed: list[int]  # seq of the lines not covered once their due date + grace has passed
    pending: list[int]  # neither: their due date + grace is still ahead

    @property
    def all_kept(self) -> bool:
        return not self.missed and not self.pending


def deadline(line: LineLike, grace: int = GRACE_DAYS) -> dt.date:
    return line.due_date + dt.timedelta(days=grace)


def match_schedule(
    lines: Sequence[LineLike],
    payments: Iterable[PaymentLike],
    paid_before: Decimal,
    today: dt.date,
    grace: int = GRACE_DAYS,
) -> ScheduleMatch:
    """Which lines the payments keep, in date order; the first `paid_before` euros predate the arrangement."""
    dated = sorted(payments, key=lambda payment: payment.paid_on)
    match = ScheduleMatch([], [], [])
    owed = ZERO
    for line in sorted(lines, key=lambda item: (item.due_date, item.seq)):
        owed += line.amount
        received = sum((p.amount for p in dated if p.paid_on <= deadline(line, grace)), ZERO) - paid_before
        if line.paid or received >= owed:
            match.kept.append(line.seq)
        elif today > deadline(line, grace):
            match.missed.append(line.seq)
        else:
            match.pending.append(line.seq)
    return match


def overdue_unpaid(lines: Sequence[Item], today: dt.date, grace: int = GRACE_DAYS) -> list[Item]:
    """The unpaid lines whose due date + grace is past (the missed lines of a broken arrangement)."""
    return [line for line in lines if not line.paid and today > deadline(line, grace)]  # type: ignore[attr-defined]


def paid_before_of(arrangement: Arrangement, payments: Iterable[PaymentLike]) -> Decimal:
    """What the case had received before the arrangement (recorded since revision 0002, else estimated).

    Arrangements written before 0002 (and the demo data) have no `paid_before`: the payments dated before the
    day it was written count as earlier, and when that day is after the first due date (a row loaded later than
    the arrangement was made) the cut is one month before the first due date.
    """
    if arrangement.paid_before is not None:
        return arrangement.paid_before
    first_due = min(line.due_date for line in arrangement.lines)
    start = arrangement.accepted_on or (arrangement.created_at.date() if arrangement.created_at else first_due)
    if start > first_due:
        start = first_due - dt.timedelta(days=31)
    return sum((p.amount for p in payments if p.paid_on < start), ZERO)


# ---------------------------------------------------------------- follow-up of the arrangements


@dataclass
class BrokenPromise:
    reference: str
    missed: list[tuple[dt.date, Decimal]]

    def missed_text(self) -> str:
        return ", ".join(f"{format_date(day)} ({format_euros(amount)})" for day, amount in self.missed)

    def __str__(self) -> str:
        return f"{self.reference} : échéance(s) non réglée(s) du {self.missed_text()}"


@dataclass
class FollowUpReport:
    cases_examined: int = 0
    lines_kept: int = 0
    lines_missed: int = 0
    broken: list[BrokenPromise] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    settled: list[str] = field(default_factory=list)


def _chunks(items: Sequence[Item], size: int = CHUNK) -> Iterator[Sequence[Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _note(session: Session, case: Case, key: str, text: str, details: dict[str, object]) -> None:
    """A NOTE on the case's journal, once per key (a re-run of the follow-up does not repeat it)."""
    if session.execute(select(JournalEntry.id).where(JournalEntry.dedup_key == key)).first() is None:
        session.add(
            JournalEntry(
                case=case, channel=Channel.IMPORT, kind=JournalKind.NOTE, text=text, details=details, dedup_key=key
            )
        )


def _break(session: Session, case: Case, arrangement: Arrangement, missed: list[int], today: dt.date) -> BrokenPromise:
    lines = [line for line in arrangement.lines if line.seq in set(missed)]
    arrangement.status = ArrangementStatus.ROMPU
    promise = BrokenPromise(case.reference, [(line.due_date, line.amount) for line in lines])
    details = {
        "arrangement_id": arrangement.id,
        "missed": [
            {"seq": line.seq, "due_date": line.due_date.isoformat(), "amount": f"{line.amount:.2f}"} for line in lines
        ],
    }
    text = f"Accord rompu au {format_date(today)} : échéance(s) non réglée(s) du {promise.missed_text()}."
    _note(session, case, f"suivi:rompu:{arrangement.id}", text, details)
    return promise


def _follow_case(session: Session, case: Case, today: dt.date, report: FollowUpReport) -> None:
    on_hold = case.status is CaseStatus.LITIGE  # a contestation suspends the collection: nothing is broken
    for arrangement in case.arrangements:
        if arrangement.status is not ArrangementStatus.ACCEPTE or not arrangement.lines:
            continue
        match = match_schedule(arrangement.lines, case.payments, paid_before_of(arrangement, case.payments), today)
        for line in arrangement.lines:
            if line.seq in set(match.kept) and not line.paid:
                line.paid = True
                report.lines_kept += 1
        if match.missed and not on_hold:
            report.broken.append(_break(session, case, arrangement, match.missed, today))
            report.lines_missed += len(match.missed)
        elif match.all_kept:
            arrangement.status = ArrangementStatus.TENU
            report.kept.append(case.reference)
            text = f"Accord tenu : les {len(arrangement.lines)} échéance(s) sont réglées."
            _note(session, case, f"suivi:tenu:{arrangement.id}", text, {"arrangement_id": arrangement.id})
    if case.status in (CaseStatus.LITIGE, CaseStatus.CLOS, CaseStatus.SOLDE):
        return
    forgiven = sum((a.discount for a in case.arrangements if a.status is ArrangementStatus.TENU), ZERO)
    if case.amount_due - forgiven <= 0:
        case.status = CaseStatus.SOLDE
        report.settled.append(case.reference)
        for arrangement in case.arrangements:
            if arrangement.status is ArrangementStatus.PROPOSE:
                arrangement.status = ArrangementStatus.ANNULE  # nothing left to agree on
    elif case.status is CaseStatus.ACCORD and not any(
        a.status in (ArrangementStatus.PROPOSE, ArrangementStatus.ACCEPTE) for a in case.arrangements
    ):
        case.status = CaseStatus.OUVERT  # no promise runs any more: the next conversation starts from that fact


def follow_up(
    session: Session,
    today: dt.date,
    case_ids: Iterable[int] = (),
    progress: Progress | None = None,
    *,
    every_accepted: bool = False,
) -> FollowUpReport:
    """Matches payments to the accepted arrangements of these cases (and of all cases with `every_accepted`)."""
    wanted = set(case_ids)
    if every_accepted:
        statement = select(Arrangement.case_id).where(Arrangement.status == ArrangementStatus.ACCEPTE).distinct()
        wanted.update(session.execute(statement).scalars())
    ids = sorted(wanted)
    report = FollowUpReport()
    session.flush()
    for chunk in _chunks(ids):
        statement = (
            select(Case)
            .where(Case.id.in_(chunk))
            .options(selectinload(Case.payments), selectinload(Case.arrangements).selectinload(Arrangement.lines))
            .execution_options(populate_existing=True)
            .order_by(Case.reference)
        )
        for case in session.execute(statement).scalars():
            _follow_case(session, case, today, report)
            report.cases_examined += 1
        session.flush()
        if progress:
            progress("suivi", report.cases_examined, len(ids))
    return report


# ---------------------------------------------------------------- the import


@dataclass
class PaymentImportReport:
    rows_read: int = 0
    recorded: int = 0
    already_known: int = 0
    errors: list[RowError] = field(default_factory=list)
    follow_up: FollowUpReport | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def read_payment_rows(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """The CSV's rows with their line numbers (header = line 1); column names without case or accents."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(1, "le fichier n'est pas encodé en UTF-8")]
    if not text.strip():
        return [], [RowError(1, "le fichier est vide")]
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter)
    names = [_plain(name) for name in reader.fieldnames or []]
    reader.fieldnames = names
    missing = [name for name in COLUMNS if name not in names]
    unknown = [name for name in names if name not in COLUMNS]
    errors = []
    if missing:
        errors.append(RowError(1, "colonnes obligatoires absentes : " + ", ".join(missing)))
    if unknown:
        errors.append(
            RowError(1, "colonnes inconnues : " + ", ".join(unknown) + " (attendu : " + ";".join(COLUMNS) + ")")
        )
    if errors:
        return [], errors
    rows = []
    for raw in reader:
        if None in raw:
            errors.append(RowError(reader.line_num, "trop de colonnes sur cette ligne"))
            continue
        values = {key: (value or "").strip() for key, value in raw.items()}
        if any(values.values()):
            rows.append((reader.line_num, values))
    return rows, errors


def _validate(
    rows: list[tuple[int, dict[str, str]]], progress: Progress | None, today: dt.date
) -> tuple[list[tuple[int, PaymentRow]], list[RowError]]:
    valid: list[tuple[int, PaymentRow]] = []
    errors: list[RowError] = []
    step = max(1000, len(rows) // 10)
    for done, (line, values) in enumerate(rows, 1):
        try:
            row = PaymentRow(**{key: value for key, value in values.items() if value != ""})
        except ValidationError as error:
            errors.append(RowError(line, _explain(error)))
        else:
            if row.date > today:
                errors.append(
                    RowError(line, f"date : paiement daté du {format_date(row.date)}, après la date du suivi")
                )
            else:
                valid.append((line, row))
        if progress and (done % step == 0 or done == len(rows)):
            progress("validation", done, len(rows))
    return valid, errors


def _cases_by_reference(session: Session, references: Sequence[str]) -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for chunk in _chunks(references):
        cases.update(
            {case.reference: case for case in session.execute(select(Case).where(Case.reference.in_(chunk))).scalars()}
        )
    return cases


def _payments_of(session: Session, case_ids: Sequence[int]) -> list[Payment]:
    payments: list[Payment] = []
    for chunk in _chunks(case_ids):
        payments += session.execute(select(Payment).where(Payment.case_id.in_(chunk))).scalars()
    return payments


def import_payments(
    session: Session,
    path: Path,
    *,
    today: dt.date,
    progress: Progress | None = None,
    follow_all: bool = False,
) -> PaymentImportReport:
    """Validates every row; writes the new payments and follows the arrangements up in the caller's transaction.

    Nothing is written when one row is wrong (the caller rolls back on `not report.ok`).
    """
    rows, errors = read_payment_rows(path)
    report = PaymentImportReport(rows_read=len(rows), errors=errors)
    valid, row_errors = _validate(rows, progress, today)
    report.errors += row_errors
    cases = _cases_by_reference(session, sorted({row.reference for _, row in valid}))
    known = [(line, row) for line, row in valid if row.reference in cases]
    report.errors += [
        RowError(line, f"dossier inconnu {row.reference}") for line, row in valid if row.reference not in cases
    ]
    existing = _payments_of(session, sorted({case.id for case in cases.values()}))
    by_case = {case.id: case.reference for case in cases.values()}
    already = Counter((by_case[p.case_id], p.paid_on, p.amount, p.method) for p in existing)
    paid: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for payment in existing:
        paid[by_case[payment.case_id]] += payment.amount
    seen: Counter[tuple[str, dt.date, Decimal, PaymentMethod]] = Counter()
    new: list[dict[str, object]] = []
    for line, row in sorted(known, key=lambda item: item[0]):
        seen[row.signature()] += 1
        occurrence = seen[row.signature()]
        if occurrence <= already[row.signature()]:
            report.already_known += 1
            continue
        case = cases[row.reference]
        paid[row.reference] += row.montant
        if paid[row.reference] > case.total_claimed:
            report.errors.append(
                RowError(
                    line,
                    f"montant : les paiements de {row.reference} ({format_euros(paid[row.reference])}) dépasseraient"
                    f" la créance ({format_euros(case.total_claimed)}) ; un trop-perçu se traite à la main",
                )
            )
            continue
        new.append(
            {
                "case_id": case.id,
                "amount": row.montant,
                "paid_on": row.date,
                "method": row.moyen,
                "dedup_key": dedup_key(row, occurrence),
            }
        )
    if report.errors:
        report.errors.sort(key=lambda error: error.line)
        return report
    for chunk in _chunks(new, 2000):
        session.execute(insert(Payment), list(chunk))
    report.recorded = len(new)
    touched = [case.id for case in cases.values()]
    report.follow_up = follow_up(session, today, touched, progress, every_accepted=follow_all)
    return report
