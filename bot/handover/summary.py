"""The summary a counsellor reads before calling back: intents, emotions, options shown, what was agreed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

INTENT_LABELS = {
    "difficultes_financieres": "difficultés financières",
    "signaler_vulnerabilite": "vulnérabilité",
    "informer_budget": "informations de budget",
    "proposer_paiement": "proposition de paiement",
    "demander_echeancier": "demande d'échéancier",
    "demander_delai": "demande de délai",
    "payer_totalite": "paiement de la totalité",
    "choisir_option": "choix d'une option",
    "refuser_proposition": "refus d'une proposition",
    "refus_de_payer": "refus de payer",
    "contester_dette": "contestation",
    "deja_paye": "paiement déjà effectué selon le débiteur",
    "se_plaindre": "réclamation",
    "demander_conseiller": "demande de conseiller",
    "demander_consequences": "question sur les suites",
    "demander_justificatif": "demande de justificatif",
    "demander_solde": "question sur le solde",
    "demander_moyens_paiement": "question sur les moyens de paiement",
}
QUIET_INTENTS = {
    "saluer",
    "au_revoir",
    "remercier",
    "affirmer",
    "nier",
    "donner_reference",
    "hors_sujet",
    "nlu_fallback",
}


def conversation_summary(events: Iterable[Mapping[str, Any]], slots: Mapping[str, Any], reason: str) -> str:
    """One paragraph in French, without the debtor's own words (they stay in the tracker store)."""
    events = list(events)
    parses = [event.get("parse_data") or {} for event in events if event.get("event") == "user"]
    intents = [(p.get("intent") or {}).get("name") for p in parses]
    topics = [INTENT_LABELS[name] for name in dict.fromkeys(intents) if name in INTENT_LABELS]
    emotions = Counter((p.get("emotion") or {}).get("name") for p in parses)
    felt = [f"{name} ({count})" for name, count in emotions.most_common() if name and name != "neutre"]
    parts = [f"Motif du rappel : {reason}."]
    parts.append(f"Sujets abordés : {', '.join(topics)}." if topics else "Sujets abordés : aucun en particulier.")
    parts.append(f"Émotions exprimées : {', '.join(felt)}." if felt else "Émotions exprimées : aucune marquée.")
    if slots.get("raison_difficulte"):
        parts.append(f"Situation exprimée : {slots['raison_difficulte']}.")
    if slots.get("montant_supportable") not in (None, ""):
        parts.append(f"Montant jugé supportable : {slots['montant_supportable']} € par mois.")
    options = slots.get("options_proposees") or []
    if options:
        parts.append("Options présentées : " + " ; ".join(str(option.get("label")) for option in options) + ".")
    parts.append(
        "Accord enregistré dans la conversation." if slots.get("accord_enregistre") else "Aucun accord enregistré."
    )
    return " ".join(parts)
