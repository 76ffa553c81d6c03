"""What similar debtors chose: accepted arrangements of the same creditor, by kind of option."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.cases.models import Arrangement, ArrangementKind, ArrangementStatus, Case, Creditor
from bot.cases.store import CaseStore

OPTION_KIND_OF = {
    ArrangementKind.PAIEMENT_TOTAL: "paiement_integral",
    ArrangementKind.ECHEANCIER: "echeancier",
    ArrangementKind.REPORT: "report_puis_echeancier",
    ArrangementKind.PREMIER_PAS: "premier_pas",
}
AGREED = (ArrangementStatus.ACCEPTE, ArrangementStatus.TENU, ArrangementStatus.ROMPU)


def choices_of_similar_debtors(store: CaseStore, creditor_name: str) -> dict[str, int]:
    """{option kind: number of agreements} for the creditor's cases (agreements accepted, kept or broken)."""
    with store.session() as session:
        rows = session.execute(
            select(Arrangement.kind, func.count())
            .join(Case, Arrangement.case_id == Case.id)
            .join(Creditor, Case.creditor_id == Creditor.id)
            .where(Creditor.name == creditor_name, Arrangement.status.in_(AGREED))
            .group_by(Arrangement.kind)
        ).all()
    return {OPTION_KIND_OF[kind]: count for kind, count in rows}
