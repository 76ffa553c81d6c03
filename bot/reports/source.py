"""What the KPIs read from the case store: a small read interface, and its SQL implementation.

The KPI code (`bot.reports.kpis`) only sees the plain rows below, so data a store does not hold yet is simply
absent: verification entries without details, no `satisfaction_ratings` table (added by a later migration).
`StoreSource` reads with `select()` only, in one read-only transaction, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import MetaData, Table, and_, func, inspect, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from bot.cases.db import get_engine
from bot.cases.models import (
    Arrangement,
    ArrangementStatus,
    CallbackTask,
    Case,
    JournalEntry,
    JournalKind,
    Payment,
    ScheduleLine,
)

ZERO = Decimal("0.00")
SATISFACTION_TABLE = "satisfaction_ratings"
# Arrangements the debtor agreed to and that are still the case's deal (a replaced one is ANNULE).
AGREED_STATUSES = (ArrangementStatus.ACCEPTE, ArrangementStatus.TENU, ArrangementStatus.ROMPU)


@dataclass(frozen=True)
class Period:
    """Days from `since` (None: from the beginning) to `until`, both included."""

    since: date | None
    until: date

    def __post_init__(self) -> None:
        if self.since is not None and self.since > self.until:
            raise ValueError("the period starts after it ends")

    @property
    def start(self) -> datetime | None:
        return None if self.since is None else datetime.combine(self.since, time.min)

    @property
    def end(self) -> datetime:
        """The first instant after the period (exclusive bound)."""
        return datetime.combine(self.until + timedelta(days=1), time.min)

    def holds(self, day: date) -> bool:
        return (self.since is None or day >= self.since) and day <= self.until


@dataclass(frozen=True)
class VerificationEvent:
    """A journal entry of kind `verification`; its details are optional."""

    entry_id: int
    case_id: int
    at: datetime
    verified: bool | None
    conversation: str | None


@dataclass(frozen=True)
class AgreementRow:
    """An arrangement the debtor agreed to: `day` is when (accepted_on, else the day it was written)."""

    arrangement_id: int
    case_id: int
    day: date
    case_opened_on: date
    total: Decimal
    discount: Decimal
    kind: str
    status: str
    channel: str
    dated_by_record: bool = False  # no accepted_on (written before revision 0002, or loaded): day = created_at


@dataclass(frozen=True)
class LineRow:
    """A schedule line of an agreed arrangement."""

    due_date: date
    amount: Decimal
    paid: bool


@dataclass(frozen=True)
class RecoveryBase:
    """Amounts for the recovery rate, over the cases opened by the end of the period."""

    cases: int
    claimed: Decimal  # principal + interest + accessories of those cases
    paid_before: Decimal  # payments on those cases dated before the period
    received: Decimal  # payments on those cases dated within the period


class KpiSource(Protocol):
    """The reads the KPIs need; every method returns plain rows for the period."""

    def verifications(self, period: Period) -> list[VerificationEvent]: ...

    def agreements(self, period: Period) -> list[AgreementRow]: ...

    def replaced_agreements(self, period: Period) -> int: ...

    def schedule_lines(self, period: Period) -> list[LineRow]: ...

    def recovery(self, period: Period) -> RecoveryBase: ...

    def handover_reasons(self, period: Period) -> dict[str, int]: ...

    def emotions(self, period: Period) -> dict[str, int]: ...

    def satisfaction_ratings(self, period: Period) -> list[int] | None:
        """The 1–5 ratings given in the period, or None when the store does not record ratings."""
        ...


def _within(column: Any, period: Period) -> ColumnElement:
    """A DateTime column inside the period (half-open on the end instant)."""
    condition = column < period.end
    return condition if period.start is None else and_(column >= period.start, condition)


def _days_within(column: Any, period: Period) -> ColumnElement:
    """A Date column inside the period (both days included)."""
    condition = column <= period.until
    return condition if period.since is None else and_(column >= period.since, condition)


def _verification_details(details: object) -> tuple[bool | None, str | None]:
    """`{"verified": bool, "conversation": id}`, each part optional; anything else reads as unknown."""
    if not isinstance(details, Mapping):
        return None, None
    verified = details.get("verified")
    conversation = details.get("conversation")
    return (
        verified if isinstance(verified, bool) else None,
        str(conversation) if conversation not in (None, "") else None,
    )


def _money(value: Decimal | None) -> Decimal:
    return ZERO if value is None else value


class StoreSource:
    """`KpiSource` over the case store's tables (SQLAlchemy `select()` only, never a write)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._connection: Connection | None = None

    @contextmanager
    def reading(self) -> Iterator[StoreSource]:
        """Runs every read in one read-only transaction (one consistent snapshot on PostgreSQL)."""
        engine = get_engine(self.url)
        options: dict[str, object] = {}
        if engine.dialect.name == "postgresql":
            options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        with engine.connect() as connection:
            connection = connection.execution_options(**options) if options else connection
            with connection.begin() as transaction:
                self._connection = connection
                try:
                    yield self
                finally:
                    self._connection = None
                    transaction.rollback()  # nothing was written; release the snapshot

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("StoreSource is read inside `with source.reading():`")
        return self._connection

    def verifications(self, period: Period) -> list[VerificationEvent]:
        statement = (
            select(JournalEntry.id, JournalEntry.case_id, JournalEntry.at, JournalEntry.details)
            .where(JournalEntry.kind == JournalKind.VERIFICATION, _within(JournalEntry.at, period))
            .order_by(JournalEntry.at, JournalEntry.id)
        )
        events = []
        for row in self.connection.execute(statement):
            verified, conversation = _verification_details(row.details)
            events.append(VerificationEvent(row.id, row.case_id, row.at, verified, conversation))
        return events

    @staticmethod
    def _agreed_in(period: Period, statuses: tuple[ArrangementStatus, ...]) -> ColumnElement:
        """Arrangements with these statuses whose agreement day (accepted_on, else created_at) is in the period."""
        return and_(
            Arrangement.status.in_(statuses),
            or_(
                and_(Arrangement.accepted_on.isnot(None), _days_within(Arrangement.accepted_on, period)),
                and_(Arrangement.accepted_on.is_(None), _within(Arrangement.created_at, period)),
            ),
        )

    def agreements(self, period: Period) -> list[AgreementRow]:
        totals = (
            select(ScheduleLine.arrangement_id, func.sum(ScheduleLine.amount).label("total"))
            .group_by(ScheduleLine.arrangement_id)
            .subquery()
        )
        statement = (
            select(
                Arrangement.id,
                Arrangement.case_id,
                Arrangement.accepted_on,
                Arrangement.created_at,
                Arrangement.discount,
                Arrangement.kind,
                Arrangement.status,
                Arrangement.channel,
                Case.opened_at,
                totals.c.total,
            )
            .join(Case, Case.id == Arrangement.case_id)
            .outerjoin(totals, totals.c.arrangement_id == Arrangement.id)
            .where(self._agreed_in(period, AGREED_STATUSES))
            .order_by(Arrangement.id)
        )
        return [
            AgreementRow(
                arrangement_id=row.id,
                case_id=row.case_id,
                day=row.accepted_on or row.created_at.date(),
                case_opened_on=row.opened_at.date(),
                total=_money(row.total),
                discount=_money(row.discount),
                kind=row.kind.value,
                status=row.status.value,
                channel=row.channel.value,
                dated_by_record=row.accepted_on is None,
            )
            for row in self.connection.execute(statement)
        ]

    def replaced_agreements(self, period: Period) -> int:
        """Arrangements accepted in the period and later replaced by a renegotiated one (ANNULE, accepted_on set)."""
        statement = select(func.count(Arrangement.id)).where(
            Arrangement.status == ArrangementStatus.ANNULE,
            Arrangement.accepted_on.isnot(None),
            _days_within(Arrangement.accepted_on, period),
        )
        return int(self.connection.execute(statement).scalar_one())

    def schedule_lines(self, period: Period) -> list[LineRow]:
        statement = (
            select(ScheduleLine.due_date, ScheduleLine.amount, ScheduleLine.paid)
            .join(Arrangement, Arrangement.id == ScheduleLine.arrangement_id)
            .where(Arrangement.status.in_(AGREED_STATUSES), _days_within(ScheduleLine.due_date, period))
            .order_by(ScheduleLine.due_date, ScheduleLine.id)
        )
        return [LineRow(row.due_date, row.amount, bool(row.paid)) for row in self.connection.execute(statement)]

    def recovery(self, period: Period) -> RecoveryBase:
        opened = Case.opened_at < period.end
        claims = select(
            func.count(Case.id), func.sum(Case.principal), func.sum(Case.interest), func.sum(Case.accessories)
        ).where(opened)
        count, principal, interest, accessories = self.connection.execute(claims).one()
        paid = select(func.sum(Payment.amount)).join(Case, Case.id == Payment.case_id).where(opened)
        paid_before = (
            ZERO
            if period.since is None
            else _money(self.connection.execute(paid.where(Payment.paid_on < period.since)).scalar_one())
        )
        received = _money(self.connection.execute(paid.where(_days_within(Payment.paid_on, period))).scalar_one())
        return RecoveryBase(
            cases=int(count),
            claimed=_money(principal) + _money(interest) + _money(accessories),
            paid_before=paid_before,
            received=received,
        )

    def handover_reasons(self, period: Period) -> dict[str, int]:
        statement = (
            select(CallbackTask.reason, func.count(CallbackTask.id))
            .where(_within(CallbackTask.created_at, period))
            .group_by(CallbackTask.reason)
        )
        return {reason: int(count) for reason, count in self.connection.execute(statement)}

    def emotions(self, period: Period) -> dict[str, int]:
        statement = (
            select(JournalEntry.emotion, func.count(JournalEntry.id))
            .where(JournalEntry.emotion.isnot(None), JournalEntry.emotion != "", _within(JournalEntry.at, period))
            .group_by(JournalEntry.emotion)
        )
        return {emotion: int(count) for emotion, count in self.connection.execute(statement)}

    def satisfaction_ratings(self, period: Period) -> list[int] | None:
        """Ratings from `satisfaction_ratings` (id, case_id, conversation_id, rating, created_at) when it exists."""
        if not inspect(self.connection).has_table(SATISFACTION_TABLE):
            return None
        table = Table(SATISFACTION_TABLE, MetaData(), autoload_with=self.connection)
        if "rating" not in table.c or "created_at" not in table.c:
            return None
        statement = select(table.c.rating).where(_within(table.c.created_at, period), table.c.rating.isnot(None))
        ratings = []
        for (rating,) in self.connection.execute(statement):
            try:
                value = int(rating)
            except (TypeError, ValueError):
                continue
            if 1 <= value <= 5 and value == rating:
                ratings.append(value)
        return ratings
