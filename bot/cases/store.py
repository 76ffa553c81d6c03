"""The case store's entry point: every read and write of cases goes through `CaseStore`.

Each public method is one unit of work (one session, one transaction). The methods are blocking; the
action server calls them through `asyncio.to_thread` so that no conversation waits on the database.
"""

from __future__ import annotations

import hmac
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.cases import migrate
from bot.cases.db import unit_of_work
from bot.cases.models import Arrangement, Case, Creditor, Debtor
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
from bot.settings import database_url

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
        arrangements=[
            ArrangementView(
                kind=a.kind,
                status=a.status,
                channel=a.channel,
                discount=a.discount,
                total=a.total,
                lines=[
                    ScheduleLineView(seq=line.seq, due_date=line.due_date, amount=line.amount, paid=line.paid)
                    for line in a.lines
                ],
            )
            for a in case.arrangements
        ],
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
