"""Open questions chosen by what the negotiation still needs to know; closed questions only to confirm."""

from __future__ import annotations

import enum
import re
import zlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any


class Need(str, enum.Enum):
    """What a repayment plan needs to know about the debtor's situation, in the order it is asked."""

    RAISON = "raison"  # why paying is difficult
    REVENUS = "revenus"
    CHARGES = "charges"
    JOUR_DE_PAIE = "jour_de_paie"  # when the income arrives in the month
    MONTANT_SUPPORTABLE = "montant_supportable"  # what the debtor can bear each month
    DATE_SOUHAITEE = "date_souhaitee"  # when to start or pay
    MOYEN_DE_PAIEMENT = "moyen_de_paiement"


NEGOTIATION_ORDER: tuple[Need, ...] = tuple(Need)

OPEN_QUESTIONS: dict[Need, tuple[str, ...]] = {
    Need.RAISON: (
        "Qu'est-ce qui rend le paiement difficile pour vous en ce moment ?",
        "Comment votre situation a-t-elle évolué ces derniers temps ?",
        "Qu'est-ce qui s'est passé pour que ce paiement devienne compliqué ?",
    ),
    Need.REVENUS: (
        "Comment se composent vos revenus chaque mois ?",
        "De quelles ressources disposez-vous en ce moment ?",
        "Comment se présentent vos rentrées d'argent actuellement ?",
    ),
    Need.CHARGES: (
        "Quelles dépenses pèsent le plus sur votre budget chaque mois ?",
        "Comment se répartissent vos charges fixes, comme le loyer ou les crédits ?",
        "Qu'est-ce qui part en priorité de votre budget chaque mois ?",
    ),
    Need.JOUR_DE_PAIE: (
        "À quel moment du mois vos revenus arrivent-ils sur votre compte ?",
        "Comment s'organisent vos rentrées d'argent au fil du mois ?",
    ),
    Need.MONTANT_SUPPORTABLE: (
        "Qu'est-ce qui vous permettrait de régler cette somme sans mettre votre budget en difficulté ?",
        "Comment envisagez-vous le montant de vos versements, compte tenu de vos charges ?",
        "Qu'est-ce qui vous semblerait réaliste comme effort chaque mois ?",
    ),
    Need.DATE_SOUHAITEE: (
        "Comment envisagez-vous le calendrier pour commencer les versements ?",
        "Qu'est-ce qui vous conviendrait le mieux comme date pour commencer ?",
    ),
    Need.MOYEN_DE_PAIEMENT: (
        "Comment souhaitez-vous effectuer vos versements ?",
        "Qu'est-ce qui serait le plus pratique pour vous comme moyen de paiement ?",
    ),
}
# The only closed questions: checking a summary or a proposal with the debtor.
CONFIRMATIONS = (
    "Est-ce bien cela ?",
    "Ai-je bien résumé votre situation ?",
    "Est-ce que j'ai bien compris ?",
)
OPEN_OPENERS = (
    "Qu'est-ce",
    "Comment",
    "Que ",
    "Quel",
    "Quelle",
    "Quels",
    "Quelles",
    "De quel",
    "De quelle",
    "De quelles",
    "À quel",
    "Dans quelle",
    "Pourquoi",
    "En quoi",
)

_INCOME = re.compile(
    r"gagn|touch|salaire|revenu|rsa|pension|retraite|allocation|chômage|indemnit|smic|paie|payé|perçois", re.I
)
_CHARGES = re.compile(
    r"loyer|charges?\b|crédit|factur|assurance|pension alimentaire|dépense|mutuelle|électricité", re.I
)
_MONTH = r"(janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre)"
_DAY = rf"le \d{{1,2}}\b(?!\s*{_MONTH})"
_PAY_DAY = re.compile(
    rf"\b(mon|ma|mes|le|la|les)\s+(salaire|paie|paye|virement|rsa|pension|retraite|allocations?|chômage|revenus?)"
    rf"\D{{0,25}}(tombe|tombent|arrive|arrivent|est versée?|sont versées?|{_DAY}|en début|en fin|au début|à la fin)|"
    rf"\b(suis|être) payée? {_DAY}|\btouche (mon \w+ )?{_DAY}",
    re.I,
)
_METHOD = re.compile(r"virement|carte|prélèvement|chèque|espèces|paypal|mandat cash", re.I)
_REASON_INTENTS = frozenset({"difficultes_financieres", "signaler_vulnerabilite"})


@dataclass(frozen=True)
class OpenQuestion:
    need: Need
    text: str


def is_open(question: str) -> bool:
    """An open question calls for more than yes/no or a number: "Comment…", "Qu'est-ce qui…"."""
    return question.rstrip().endswith("?") and question.startswith(OPEN_OPENERS)


def next_need(known: Collection[Need | str]) -> Need | None:
    """The first thing the negotiation still needs, in `NEGOTIATION_ORDER` (None: everything is known)."""
    have = {Need(value) for value in known}
    return next((need for need in NEGOTIATION_ORDER if need not in have), None)


def open_question(known: Collection[Need | str], used: Collection[str] = (), key: str = "") -> OpenQuestion | None:
    """An open question about the first unknown need, never one of the questions in `used`.

    None when everything is known, or when every remaining question was already asked (time to summarise).
    """
    said = {sentence.strip() for sentence in used}
    have = {Need(value) for value in known}
    for need in NEGOTIATION_ORDER:
        if need in have:
            continue
        phrasings = OPEN_QUESTIONS[need]
        offset = zlib.crc32(key.encode("utf-8")) % len(phrasings)
        for text in phrasings[offset:] + phrasings[:offset]:
            if text not in said:
                return OpenQuestion(need, text)
        # Every phrasing of this need was asked without an answer: do not insist, go on to the next need.
    return None


def ask(need: Need, used: Collection[str] = ()) -> str:
    """An open question about `need`, preferring one not asked yet (all asked: the first phrasing again)."""
    said = {sentence.strip() for sentence in used}
    phrasings = OPEN_QUESTIONS[need]
    return next((text for text in phrasings if text not in said), phrasings[0])


def confirmation_question(used: Collection[str] = ()) -> str:
    """A closed question, for a confirmation only (after a summary or a proposal)."""
    said = {sentence.strip() for sentence in used}
    return next((text for text in CONFIRMATIONS if text not in said), CONFIRMATIONS[0])


def needs_answered(text: str, parse: Mapping[str, Any] | None = None) -> set[Need]:
    """What a debtor's message tells the negotiation (from its intent, entities and words)."""
    parse = parse or {}
    intent = (parse.get("intent") or {}).get("name")
    entities = {entity.get("entity") for entity in parse.get("entities") or []}
    found: set[Need] = set()
    if intent in _REASON_INTENTS:
        found.add(Need.RAISON)
    has_amount = "montant" in entities or bool(re.search(r"\d+\s*(€|euros?|balles)", text, re.I))
    if has_amount and intent in ("informer_budget", "difficultes_financieres", None):
        if _INCOME.search(text):
            found.add(Need.REVENUS)
        if _CHARGES.search(text):
            found.add(Need.CHARGES)
    if has_amount and intent == "proposer_paiement":
        found.add(Need.MONTANT_SUPPORTABLE)
    if "date" in entities and intent in ("proposer_paiement", "demander_delai", "payer_totalite"):
        found.add(Need.DATE_SOUHAITEE)
    if _PAY_DAY.search(text):
        found.add(Need.JOUR_DE_PAIE)
    if _METHOD.search(text) and intent != "demander_moyens_paiement":
        found.add(Need.MOYEN_DE_PAIEMENT)
    return found
