"""The case store's entry point: every read and write of cases goes through `CaseStore`.

Each public method is one unit of work (one session, one transaction). The methods are blocking; the
action server calls them through `asyncio.to_thread` so that no conversation waits on the database.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot.cases import migrate
from bot.cases.db import unit_of_work
from bot.cases.models import (
    Arrangement,
    ArrangementKind,
    ArrangementStatus,
    CallbackTask,
    Case,
    CaseStatus,
    Channel,
    Complaint,
    Creditor,
    Debtor,
    Dispute,
    DisputeStatus,
    IdentificationAttempts,
    JournalEntry,
    JournalKind,
    SatisfactionRating,
    ScheduleLine,
    TaskStatus,
)
from bot.cases.payments import overdue_unpaid
from bot.cases.schemas import (
    ArrangementView,
    CaseView,
    ComplaintIn,
    DisputeIn,
    PaymentIn,
    Policy,
    ScheduleLineView,
    normalise_reference,
)
from bot.negotiation.models import Option
from bot.negotiation.profile import Profile, infer_profile
from bot.settings import database_url
from bot.text import format_date, format_euros

Record = TypeVar("Record")
LIVE_STATUSES = (ArrangementStatus.PROPOSE, ArrangementStatus.ACCEPTE)
KEY_PATTERN = re.compile(r"^[^\x00-\x1f]{1,80}$")  # printable, 1 to 80 characters
REASON_PATTERN = re.compile(r"^[a-z_]{2,40}$")
ZERO = Decimal("0.00")


class UnknownCase(LookupError):
    """No case with this reference (or a malformed reference)."""

    def __init__(self, reference: str) -> None:
        self.reference = reference
        super().__init__(f"Aucun dossier {reference} dans la base des dossiers.")


class CaseOnHold(ValueError):
    """A contestation is open on the case: collection is on hold, no arrangement can be recorded."""


class StaleOption(ValueError):
    """The option was computed on an amount due that has changed since (a payment arrived): propose again."""


class ArrangementRecord(BaseModel):
    """An arrangement as written (`created` is False when a retried request found it already there)."""

    id: int
    created: bool
    reference: str
    kind: ArrangementKind
    status: ArrangementStatus
    channel: Channel
    discount: Decimal
    total: Decimal
    accepted_on: date | None
    lines: list[ScheduleLineView]
    replaced: list[int] = []  # the arrangements this one cancelled


class DisputeRecord(BaseModel):
    id: int
    created: bool
    reference: str
    reason: str
    status: DisputeStatus
    opened_on: date


class ComplaintRecord(BaseModel):
    id: int
    created: bool
    reference: str
    text: str
    received_on: date


class CallbackRecord(BaseModel):
    id: int
    created: bool
    reference: str | None
    reason: str
    due_at: datetime
    status: TaskStatus


class UnknownTask(LookupError):
    """No callback task with this number."""

    def __init__(self, task_id: int) -> None:
        self.task_id = task_id
        super().__init__(f"Aucun rappel n° {task_id}.")


class IdentificationState(BaseModel):
    """Where a submitted reference stands: failed identifications counted, and the lock if one holds."""

    reference: str
    failures: int
    locked_until: datetime | None


class SatisfactionRecord(BaseModel):
    """A conversation's rating as stored (`created` is False when the conversation had already rated)."""

    id: int
    created: bool
    conversation_id: str
    reference: str | None
    rating: int


class CallbackTaskView(BaseModel):
    """A callback task (hand-over) as agents see it."""

    id: int
    reference: str | None
    reason: str
    summary: str
    due_at: datetime
    status: TaskStatus
    created_at: datetime


class BrokenArrangement(BaseModel):
    """The latest broken arrangement of a case and the lines that were not paid in time."""

    arrangement: ArrangementView
    missed_lines: list[ScheduleLineView]

    @property
    def missed_amount(self) -> Decimal:
        return sum((line.amount for line in self.missed_lines), ZERO)


CASE_LOADING = (
    selectinload(Case.debtor),
    selectinload(Case.creditor),
    selectinload(Case.payments),
    selectinload(Case.arrangements).selectinload(Arrangement.lines),
    selectinload(Case.disputes),
    selectinload(Case.complaints),
)


def policy_of(creditor: Creditor) -> Policy:
    return Policy(
        min_instalment=creditor.min_instalment,
        max_duration_months=creditor.max_duration_months,
        max_discount_pct=creditor.max_discount_pct,
        max_deferral_days=creditor.max_deferral_days,
    )


def line_views_of(arrangement: Arrangement) -> list[ScheduleLineView]:
    return [
        ScheduleLineView(seq=line.seq, due_date=line.due_date, amount=line.amount, paid=line.paid)
        for line in sorted(arrangement.lines, key=lambda line: line.seq)
    ]


def arrangement_view_of(arrangement: Arrangement) -> ArrangementView:
    return ArrangementView(
        kind=arrangement.kind,
        status=arrangement.status,
        channel=arrangement.channel,
        discount=arrangement.discount,
        total=arrangement.total,
        lines=line_views_of(arrangement),
    )


def live_arrangement_of(case: CaseView) -> ArrangementView | None:
    """The arrangement still running (proposed or accepted) on the case, if any."""
    live = [arrangement for arrangement in case.arrangements if arrangement.status in LIVE_STATUSES]
    return live[-1] if live else None


def broken_arrangement_of(case: CaseView, today: date | None = None) -> BrokenArrangement | None:
    """The latest broken arrangement, unless another one was agreed since (then the break is history)."""
    current = [a for a in case.arrangements if a.status is not ArrangementStatus.ANNULE]
    if not current or current[-1].status is not ArrangementStatus.ROMPU:
        return None
    broken = current[-1]
    return BrokenArrangement(arrangement=broken, missed_lines=overdue_unpaid(broken.lines, today or date.today()))


def case_view_of(case: Case) -> CaseView:
    debtor: Debtor = case.debtor
    return CaseView(
        reference=case.reference,
        status=case.status,
        creditor_name=case.creditor.name,
        creditor_sector=case.creditor.sector,
        policy=policy_of(case.creditor),
        debtor_display_name=debtor.display_name,
        debtor_first_name=debtor.first_name,
        debtor_last_name=debtor.last_name,
        nature=case.nature,
        principal=case.principal,
        interest=case.interest,
        accessories=case.accessories,
        total_claimed=case.total_claimed,
        amount_paid=case.amount_paid,
        amount_due=case.amount_due,
        due_date=case.due_date,
        payments=[PaymentIn(amount=p.amount, paid_on=p.paid_on, method=p.method) for p in case.payments],
        arrangements=[arrangement_view_of(a) for a in case.arrangements],
        disputes=[DisputeIn(reason=d.reason, opened_on=d.opened_on, status=d.status) for d in case.disputes],
        complaints=[ComplaintIn(text=c.text, received_on=c.received_on) for c in case.complaints],
    )


def _same_text(given: str, expected: str) -> bool:
    """Constant-time comparison, so that timing tells nothing about a verification factor."""
    return hmac.compare_digest(given.strip().encode(), expected.strip().encode())


class CaseStore:
    """Cases, debtors, creditors and their history, in SQLite (default) or PostgreSQL."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or database_url()

    def migrate(self) -> None:
        migrate.upgrade(self.url)

    def session(self):  # type: ignore[no-untyped-def]
        """A unit-of-work session (context manager) on this store."""
        return unit_of_work(self.url)

    @staticmethod
    def _load_case(session: Session, reference: str) -> Case | None:
        statement = select(Case).where(Case.reference == reference).options(*CASE_LOADING)
        return session.execute(statement).scalar_one_or_none()

    def case_view(self, reference: str) -> CaseView | None:
        """The case with this reference, or None (also for a malformed reference)."""
        try:
            reference = normalise_reference(reference)
        except ValueError:
            return None
        with self.session() as session:
            case = self._load_case(session, reference)
            return case_view_of(case) if case else None

    def verify(self, reference: str, *, birth_date: date | None = None, postcode: str | None = None) -> bool:
        """True when the reference exists and one given factor matches the one held on the case."""
        if birth_date is None and not postcode:
            return False
        try:
            reference = normalise_reference(reference)
        except ValueError:
            return False
        with self.session() as session:
            statement = select(Debtor.birth_date, Debtor.postcode).join(Case).where(Case.reference == reference)
            row = session.execute(statement).one_or_none()
        if row is None:
            return False
        if birth_date is not None and _same_text(birth_date.isoformat(), row.birth_date.isoformat()):
            return True
        return bool(postcode) and _same_text(postcode, row.postcode)

    def case_views(self) -> list[CaseView]:
        """Every case, by reference."""
        with self.session() as session:
            statement = select(Case).options(*CASE_LOADING).order_by(Case.reference)
            return [case_view_of(case) for case in session.execute(statement).scalars()]

    # ------------------------------------------------------------ writes of the conversation (idempotent)

    @staticmethod
    def _reference(reference: str) -> str:
        try:
            return normalise_reference(reference)
        except ValueError:
            raise UnknownCase(str(reference).strip()) from None

    @staticmethod
    def _key(idempotency_key: str) -> str:
        key = str(idempotency_key).strip()
        if not KEY_PATTERN.match(key):
            raise ValueError("clé d'idempotence invalide : 1 à 80 caractères imprimables")
        return key

    def _lock_case(self, session: Session, reference: str) -> Case:
        """Loads the case after taking its write lock (row lock on PostgreSQL, write lock on SQLite).

        Every write of a case starts with this no-op UPDATE, so concurrent writes of the same case run one after
        the other and each sees what the previous one committed (one live arrangement, one row per key).
        """
        statement = (
            update(Case)
            .where(Case.reference == reference)
            .values(status=Case.status)
            .execution_options(synchronize_session=False)
        )
        if session.execute(statement).rowcount == 0:
            raise UnknownCase(reference)
        case = self._load_case(session, reference)
        assert case is not None
        return case

    def _once(self, write: Callable[[Session], Record], find: Callable[[Session], Record | None]) -> Record:
        """Runs `write` in one unit of work; when a concurrent request wrote the same key first, returns its row."""
        try:
            with self.session() as session:
                return write(session)
        except IntegrityError:
            with self.session() as session:
                found = find(session)
            if found is None:
                raise
            return found

    @staticmethod
    def _same_case(found_reference: str | None, reference: str | None) -> None:
        if found_reference != reference:
            raise ValueError("clé d'idempotence déjà utilisée pour un autre dossier : requête refusée")

    def record_arrangement(
        self, reference: str, option: Option, *, channel: Channel, idempotency_key: str, today: date
    ) -> ArrangementRecord:
        """Writes the accepted option as the case's only live arrangement, once per idempotency key."""
        reference = self._reference(reference)
        key = self._key(idempotency_key)
        kind = option.kind.arrangement_kind
        if kind is None:
            raise ValueError(f"l'option « {option.label} » ({option.kind.value}) ne donne lieu à aucun accord")
        if not option.schedule or sum(line.amount for line in option.schedule) != option.total:
            raise ValueError("l'échéancier de l'option ne correspond pas à son total")

        def find(session: Session) -> ArrangementRecord | None:
            statement = (
                select(Arrangement)
                .where(Arrangement.idempotency_key == key)
                .options(selectinload(Arrangement.lines), selectinload(Arrangement.case))
            )
            arrangement = session.execute(statement).scalar_one_or_none()
            if arrangement is None:
                return None
            self._same_case(arrangement.case.reference, reference)
            return _arrangement_record(arrangement, created=False)

        def write(session: Session) -> ArrangementRecord:
            case = self._lock_case(session, reference)
            found = find(session)
            if found is not None:
                return found
            if any(dispute.status is DisputeStatus.OUVERT for dispute in case.disputes):
                raise CaseOnHold(
                    f"une contestation est en cours sur le dossier {reference} : aucun accord ne peut être"
                    " enregistré avant son examen"
                )
            if option.amount_due != case.amount_due:
                raise StaleOption(
                    f"l'option a été calculée sur un montant dû de {format_euros(option.amount_due)}, le dossier"
                    f" {reference} en est à {format_euros(case.amount_due)} : proposez de nouvelles options"
                )
            replaced = []
            for earlier in case.arrangements:
                if earlier.status in LIVE_STATUSES:
                    earlier.status = ArrangementStatus.ANNULE
                    replaced.append(earlier.id)
            arrangement = Arrangement(
                case=case,
                kind=kind,
                status=ArrangementStatus.ACCEPTE,
                channel=channel,
                discount=option.discount,
                idempotency_key=key,
                accepted_on=today,
                paid_before=case.amount_paid,
                lines=[
                    ScheduleLine(seq=seq, due_date=line.date, amount=line.amount)
                    for seq, line in enumerate(option.schedule, 1)
                ],
            )
            case.status = CaseStatus.ACCORD
            session.add(arrangement)
            session.flush()
            session.add(
                JournalEntry(
                    case=case,
                    channel=channel,
                    kind=JournalKind.AGREEMENT,
                    text=f"Accord accepté : {option.label} — {option.summary}",
                    details={
                        "arrangement_id": arrangement.id,
                        "option": option.kind.value,
                        "total": f"{option.total:.2f}",
                        "discount": f"{option.discount:.2f}",
                        "remaining": f"{option.remaining:.2f}",
                        "instalments": len(option.schedule),
                        "first_due": option.schedule[0].date.isoformat(),
                        "last_due": option.schedule[-1].date.isoformat(),
                        "replaces": replaced,
                    },
                    dedup_key=f"accord:{key}",
                )
            )
            session.flush()
            return _arrangement_record(arrangement, created=True, replaced=replaced)

        return self._once(write, find)

    def open_dispute(
        self, reference: str, *, reason: str, idempotency_key: str, today: date, channel: Channel = Channel.CHAT
    ) -> DisputeRecord:
        """Opens a contestation and puts the collection on hold (case LITIGE), once per idempotency key."""
        reference = self._reference(reference)
        key = self._key(idempotency_key)
        reason = reason.strip()
        if len(reason) < 3:
            raise ValueError("motif de contestation trop court")

        def find(session: Session) -> DisputeRecord | None:
            statement = select(Dispute).where(Dispute.idempotency_key == key).options(selectinload(Dispute.case))
            dispute = session.execute(statement).scalar_one_or_none()
            if dispute is None:
                return None
            self._same_case(dispute.case.reference, reference)
            return _dispute_record(dispute, created=False)

        def write(session: Session) -> DisputeRecord:
            case = self._lock_case(session, reference)
            found = find(session)
            if found is not None:
                return found
            dispute = Dispute(
                case=case, reason=reason, status=DisputeStatus.OUVERT, opened_on=today, idempotency_key=key
            )
            case.status = CaseStatus.LITIGE
            session.add(dispute)
            session.flush()
            session.add(
                JournalEntry(
                    case=case,
                    channel=channel,
                    kind=JournalKind.DISPUTE,
                    text="Contestation ouverte : le recouvrement est suspendu jusqu'à son examen.",
                    details={"dispute_id": dispute.id},
                    dedup_key=f"contestation:{key}",
                )
            )
            session.flush()
            return _dispute_record(dispute, created=True)

        return self._once(write, find)

    def record_complaint(
        self, reference: str, *, text: str, idempotency_key: str, today: date, channel: Channel = Channel.CHAT
    ) -> ComplaintRecord:
        """Records a complaint about how the case is handled, once per idempotency key."""
        reference = self._reference(reference)
        key = self._key(idempotency_key)
        text = text.strip()
        if len(text) < 3:
            raise ValueError("texte de réclamation trop court")

        def find(session: Session) -> ComplaintRecord | None:
            statement = select(Complaint).where(Complaint.idempotency_key == key).options(selectinload(Complaint.case))
            complaint = session.execute(statement).scalar_one_or_none()
            if complaint is None:
                return None
            self._same_case(complaint.case.reference, reference)
            return _complaint_record(complaint, created=False)

        def write(session: Session) -> ComplaintRecord:
            case = self._lock_case(session, reference)
            found = find(session)
            if found is not None:
                return found
            complaint = Complaint(case=case, text=text, received_on=today, idempotency_key=key)
            session.add(complaint)
            session.flush()
            session.add(
                JournalEntry(
                    case=case,
                    channel=channel,
                    kind=JournalKind.COMPLAINT,
                    text="Réclamation enregistrée : elle sera examinée par l'équipe.",
                    details={"complaint_id": complaint.id},
                    dedup_key=f"reclamation:{key}",
                )
            )
            session.flush()
            return _complaint_record(complaint, created=True)

        return self._once(write, find)

    def request_callback(
        self,
        reference: str | None,
        *,
        reason: str,
        summary: str,
        idempotency_key: str,
        due_at: datetime,
        channel: Channel = Channel.CHAT,
    ) -> CallbackRecord:
        """Asks a human to call back (hand-over); the case may be unknown when the person was not identified.

        The summary stays on the task (it may hold what the debtor confided); the journal only says why.
        """
        reference = None if reference is None else self._reference(reference)
        key = self._key(idempotency_key)
        if not REASON_PATTERN.match(reason):
            raise ValueError(f"motif de rappel invalide « {reason} » (ex. : vulnerabilite, conseiller, reclamation)")
        summary = summary.strip()
        if not summary:
            raise ValueError("le résumé du rappel est vide")

        def find(session: Session) -> CallbackRecord | None:
            statement = (
                select(CallbackTask).where(CallbackTask.idempotency_key == key).options(selectinload(CallbackTask.case))
            )
            task = session.execute(statement).scalar_one_or_none()
            if task is None:
                return None
            self._same_case(task.case.reference if task.case else None, reference)
            return _callback_record(task, created=False)

        def write(session: Session) -> CallbackRecord:
            case = self._lock_case(session, reference) if reference else None
            found = find(session)
            if found is not None:
                return found
            task = CallbackTask(
                case=case,
                reason=reason,
                summary=summary,
                due_at=due_at,
                status=TaskStatus.A_FAIRE,
                idempotency_key=key,
            )
            session.add(task)
            session.flush()
            if case is not None:
                when = f"{format_date(due_at.date())} à {due_at.hour} h {due_at.minute:02d}"
                why = CALLBACK_REASONS_FR.get(reason, reason)
                session.add(
                    JournalEntry(
                        case=case,
                        channel=channel,
                        kind=JournalKind.HANDOVER,
                        text=f"Rappel par un conseiller demandé ({why}), le {when}.",
                        details={"task_id": task.id, "reason": reason},
                        dedup_key=f"rappel:{key}",
                    )
                )
                session.flush()
            return _callback_record(task, created=True)

        return self._once(write, find)

    # ------------------------------------------------------------ reads for the conversation

    def _existing_view(self, reference: str) -> CaseView:
        reference = self._reference(reference)
        case = self.case_view(reference)
        if case is None:
            raise UnknownCase(reference)
        return case

    def live_arrangement(self, reference: str) -> ArrangementView | None:
        """The arrangement running on the case (proposed or accepted), if any."""
        return live_arrangement_of(self._existing_view(reference))

    def broken_arrangement(self, reference: str, today: date | None = None) -> BrokenArrangement | None:
        """The latest broken arrangement and its missed lines, unless a newer one was agreed since."""
        return broken_arrangement_of(self._existing_view(reference), today)

    def profile_of(
        self,
        reference: str,
        *,
        intents: Iterable[str] = (),
        emotions: Iterable[str] = (),
        today: date | None = None,
    ) -> Profile:
        """The debtor's profile from the case history and the conversation's intents and emotions."""
        return infer_profile(self._existing_view(reference), intents=intents, emotions=emotions, today=today)

    # ------------------------------------------------------------ identification lockout (per submitted reference)

    @staticmethod
    def _attempt_key(reference: str) -> str:
        """The normalised reference as typed; a well-formed reference is counted whether a case has it or not."""
        return normalise_reference(reference)

    def identification_locked_until(self, reference: str, *, now: datetime) -> datetime | None:
        """Until when identification on this reference is locked, or None when it is not (any more)."""
        key = self._attempt_key(reference)
        with self.session() as session:
            statement = select(IdentificationAttempts.locked_until).where(IdentificationAttempts.reference == key)
            until = session.execute(statement).scalar_one_or_none()
        return until if until is not None and until > now else None

    @staticmethod
    def _attempts_row(session: Session, key: str) -> IdentificationAttempts:
        """The reference's row after taking its write lock (a no-op UPDATE), created when it is the first failure."""
        statement = (
            update(IdentificationAttempts)
            .where(IdentificationAttempts.reference == key)
            .values(failures=IdentificationAttempts.failures)
            .execution_options(synchronize_session=False)
        )
        if session.execute(statement).rowcount == 0:
            session.add(IdentificationAttempts(reference=key, failures=0))
            session.flush()  # a concurrent first failure on the same reference raises IntegrityError here
        found = select(IdentificationAttempts).where(IdentificationAttempts.reference == key)
        return session.execute(found).scalar_one()

    def register_identification_failure(
        self,
        reference: str,
        *,
        now: datetime,
        lockout: timedelta,
        max_attempts: int,
        conversation_failures: int = 0,
    ) -> IdentificationState:
        """Counts one failed identification on `reference` (known or not) and locks it for `lockout` at the limit.

        The reference is locked when its own failures reach `max_attempts`, or when the conversation's failures
        (`conversation_failures` before this one, on any reference) do. Failures older than `lockout` are
        forgotten, an expired lock starts the count again, and a failure while locked changes nothing.
        """
        key = self._attempt_key(reference)

        def write(session: Session) -> IdentificationState:
            row = self._attempts_row(session, key)
            if row.locked_until is not None and row.locked_until > now:
                return _identification_state(row)
            if row.locked_until is not None or (
                row.last_failure_at is not None and now - row.last_failure_at >= lockout
            ):
                row.failures, row.locked_until = 0, None
            row.failures += 1
            row.last_failure_at = now
            if max(row.failures, conversation_failures + 1) >= max_attempts:
                row.locked_until = now + lockout
            session.flush()
            return _identification_state(row)

        return self._retried(write)

    def clear_identification_failures(self, reference: str) -> None:
        """A successful identification: the reference's failures are forgotten."""
        key = self._attempt_key(reference)
        with self.session() as session:
            session.execute(delete(IdentificationAttempts).where(IdentificationAttempts.reference == key))

    def _retried(self, write: Callable[[Session], Record]) -> Record:
        """Runs `write` in one unit of work, once more when a concurrent request inserted the same row first."""
        try:
            with self.session() as session:
                return write(session)
        except IntegrityError:
            with self.session() as session:
                return write(session)

    # ------------------------------------------------------------ satisfaction

    def record_satisfaction(
        self, conversation_id: str, rating: int, reference: str | None = None
    ) -> SatisfactionRecord:
        """Records a conversation's 1-5 rating: one row per conversation, and the LAST rating given wins.

        A retried request writes the same value again; a debtor who corrects their rating is heard. `created_at`
        stays the time of the first rating. A reference links the rating to the (identified) case.
        """
        conversation = self._key(conversation_id)
        if isinstance(rating, float) and rating.is_integer():
            rating = int(rating)
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise ValueError(f"note de satisfaction invalide « {rating} » : un nombre entier de 1 à 5 est attendu")
        reference = None if reference is None else self._reference(reference)

        def write(session: Session) -> SatisfactionRecord:
            case_id = None
            if reference is not None:
                case_id = session.execute(select(Case.id).where(Case.reference == reference)).scalar_one_or_none()
                if case_id is None:
                    raise UnknownCase(reference)
            statement = (
                select(SatisfactionRating).where(SatisfactionRating.conversation_id == conversation).with_for_update()
            )
            row = session.execute(statement).scalar_one_or_none()
            created = row is None
            if row is None:
                row = SatisfactionRating(conversation_id=conversation, rating=rating, case_id=case_id)
                session.add(row)
            else:
                row.rating = rating
                if case_id is not None:
                    row.case_id = case_id
            session.flush()
            linked = None
            if row.case_id is not None:
                linked = session.execute(select(Case.reference).where(Case.id == row.case_id)).scalar_one()
            return SatisfactionRecord(
                id=row.id, created=created, conversation_id=conversation, reference=linked, rating=row.rating
            )

        return self._retried(write)

    # ------------------------------------------------------------ callback tasks (hand-overs) for agents

    def callback_tasks(self, *, include_done: bool = False) -> list[CallbackTaskView]:
        """The callback tasks by due time: only those still to do, unless `include_done`."""
        statement = (
            select(CallbackTask).options(selectinload(CallbackTask.case)).order_by(CallbackTask.due_at, CallbackTask.id)
        )
        if not include_done:
            statement = statement.where(CallbackTask.status == TaskStatus.A_FAIRE)
        with self.session() as session:
            return [_callback_task_view(task) for task in session.execute(statement).scalars()]

    def mark_callback_done(self, task_id: int) -> tuple[CallbackTaskView, bool]:
        """Marks a callback task done; the bool is False when it already was. Raises `UnknownTask`."""
        with self.session() as session:
            statement = (
                select(CallbackTask)
                .where(CallbackTask.id == task_id)
                .options(selectinload(CallbackTask.case))
                .with_for_update()
            )
            task = session.execute(statement).scalar_one_or_none()
            if task is None:
                raise UnknownTask(task_id)
            changed = task.status is not TaskStatus.FAIT
            task.status = TaskStatus.FAIT
            session.flush()
            return _callback_task_view(task), changed


CALLBACK_REASONS_FR = {
    "vulnerabilite": "situation de vulnérabilité",
    "conseiller": "demande à parler à un conseiller",
    "reclamation": "réclamation",
    "contestation": "contestation",
    "colere": "échange tendu",
}


def _arrangement_record(arrangement: Arrangement, *, created: bool, replaced: Iterable[int] = ()) -> ArrangementRecord:
    return ArrangementRecord(
        id=arrangement.id,
        created=created,
        reference=arrangement.case.reference,
        kind=arrangement.kind,
        status=arrangement.status,
        channel=arrangement.channel,
        discount=arrangement.discount,
        total=arrangement.total,
        accepted_on=arrangement.accepted_on,
        lines=line_views_of(arrangement),
        replaced=list(replaced),
    )


def _dispute_record(dispute: Dispute, *, created: bool) -> DisputeRecord:
    return DisputeRecord(
        id=dispute.id,
        created=created,
        reference=dispute.case.reference,
        reason=dispute.reason,
        status=dispute.status,
        opened_on=dispute.opened_on,
    )


def _complaint_record(complaint: Complaint, *, created: bool) -> ComplaintRecord:
    return ComplaintRecord(
        id=complaint.id,
        created=created,
        reference=complaint.case.reference,
        text=complaint.text,
        received_on=complaint.received_on,
    )


def _callback_record(task: CallbackTask, *, created: bool) -> CallbackRecord:
    return CallbackRecord(
        id=task.id,
        created=created,
        reference=task.case.reference if task.case else None,
        reason=task.reason,
        due_at=task.due_at,
        status=task.status,
    )


def _identification_state(row: IdentificationAttempts) -> IdentificationState:
    return IdentificationState(reference=row.reference, failures=row.failures, locked_until=row.locked_until)


def _callback_task_view(task: CallbackTask) -> CallbackTaskView:
    return CallbackTaskView(
        id=task.id,
        reference=task.case.reference if task.case else None,
        reason=task.reason,
        summary=task.summary,
        due_at=task.due_at,
        status=task.status,
        created_at=task.created_at,
    )
