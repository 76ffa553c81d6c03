"""The opening said right after identification: who we are, for which creditor, the amount due and its
breakdown, the reference, that this is an amicable step, and how personal data is used — short and plain."""

from __future__ import annotations

from bot.cases.schemas import CaseView
from bot.text.french import format_euros

DATA_USE = (
    "Vos réponses servent uniquement au traitement de votre dossier ; vous pouvez demander à les consulter ou à "
    "les faire rectifier auprès de nos conseillers."
)


def breakdown(case: CaseView) -> str:
    parts = [f"{format_euros(case.principal)} de principal"]
    if case.interest:
        parts.append(f"{format_euros(case.interest)} d'intérêts")
    if case.accessories:
        parts.append(f"{format_euros(case.accessories)} de frais accessoires")
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]
    if case.amount_paid:
        text += f", dont {format_euros(case.amount_paid)} déjà réglés"
    return text


def opening(case: CaseView) -> str:
    return (
        f"Je suis Amiable, l'assistant du service de recouvrement amiable, mandaté par {case.creditor_name}. "
        f"Votre dossier {case.reference} ({case.nature}) porte sur {format_euros(case.total_claimed)} "
        f"({breakdown(case)}) : il reste {format_euros(case.amount_due)} à régler. Nous sommes dans une démarche "
        f"amiable : aucune procédure n'est engagée, et l'objectif est de trouver avec vous une solution adaptée. "
        f"{DATA_USE}"
    )
