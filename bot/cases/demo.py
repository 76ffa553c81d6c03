"""Demo data: creditors and cases written by hand in `demo/demo_cases.yml`, loaded idempotently."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases.models import (
    Arrangement,
    Case,
    Complaint,
    Creditor,
    Debtor,
    Dispute,
    Payment,
    ScheduleLine,
)
from bot.cases.schemas import CreditorIn, DebtorIn, DemoCaseIn, DemoData

DEMO_FILE = Path(__file__).parent / "demo" / "demo_cases.yml"


@dataclass
class SeedReport:
    creditors_added: int = 0
    cases_added: int = 0
    cases_already_there: int = 0


def load_demo_data(path: Path = DEMO_FILE) -> DemoData:
    with path.open(encoding="utf-8") as handle:
        return DemoData.parse_obj(yaml.safe_load(handle))


def creditor_row(data: CreditorIn) -> Creditor:
    return Creditor(key=data.key, name=data.name, sector=data.sector, **data.policy.dict())


def debtor_row(data: DebtorIn) -> Debtor:
    return Debtor(**data.dict())


def _case_rows(data: DemoCaseIn, creditor: Creditor) -> Case:
    case = Case(
        reference=data.reference,
        creditor=creditor,
        debtor=debtor_row(data.debtor),
        nature=data.nature,
        principal=data.principal,
        interest=data.interest,
        accessories=data.accessories,
        due_date=data.due_date,
        status=data.status,
    )
    case.payments = [Payment(**payment.dict()) for payment in data.payments]
    if data.arrangement:
        arrangement = data.arrangement
        case.arrangements = [
            Arrangement(
                kind=arrangement.kind,
                status=arrangement.status,
                channel=arrangement.channel,
                discount=arrangement.discount,
                lines=[ScheduleLine(seq=seq, **line.dict()) for seq, line in enumerate(arrangement.lines, 1)],
            )
        ]
    if data.dispute:
        case.disputes = [Dispute(**data.dispute.dict())]
    if data.complaint:
        case.complaints = [Complaint(**data.complaint.dict())]
    return case


def seed(session: Session, data: DemoData) -> SeedReport:
    """Adds what is missing of the demo data; a second call adds nothing."""
    report = SeedReport()
    creditors = {c.key: c for c in session.execute(select(Creditor)).scalars()}
    for creditor_data in data.creditors:
        if creditor_data.key not in creditors:
            creditors[creditor_data.key] = creditor_row(creditor_data)
            session.add(creditors[creditor_data.key])
            report.creditors_added += 1
    existing = set(session.execute(select(Case.reference)).scalars())
    for case_data in data.cases:
        if case_data.reference in existing:
            report.cases_already_there += 1
            continue
        session.add(_case_rows(case_data, creditors[case_data.creditor]))
        report.cases_added += 1
    return report
