"""What the simulated debtor notices in the trainee's words: keywords, the topic of a question, a payment proposal.

Amounts and durations come from the project's own French entity extractor (`bot.nlu.entities`): "3 mensualités
de 70,80 €", "80 euros par mois", "les 74,90 € en une fois".
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from bot.nlu.entities import extract_entities

# Cues of each standard fact in a question (accents removed, lower case), with a weight: the strongest topic wins.
TOPIC_CUES: dict[str, tuple[tuple[str, int], ...]] = {
    "reason": (
        ("pourquoi", 2), ("raison", 2), ("empech", 2), ("passe", 1), ("arrive", 1), ("explique", 1), ("racont", 1),
        ("difficult", 1), ("change", 1), ("bloque", 1), ("origine", 1), ("situation", 1), ("vecu", 1),
    ),
    "monthly_income": (
        ("revenu", 2), ("salaire", 2), ("gagne", 2), ("ressource", 2), ("allocation", 2), ("chomage", 2),
        ("retraite", 2), ("pension", 2), ("indemnit", 2), ("touche", 2), ("rentre", 1),
    ),
    "monthly_charges": (
        ("charge", 2), ("depense", 2), ("loyer", 2), ("frais fixes", 2), ("factures", 1), ("credit", 1),
        ("budget", 1), ("ce qui sort", 2),
    ),
    "pay_day": (
        ("quel jour", 5), ("quelle date", 5), ("moment du mois", 5), ("jour de paie", 5), ("date de versement", 5),
        ("debut du mois", 2), ("fin du mois", 2), ("tombe", 2), ("verse", 1), ("date", 1), ("quand", 1),
    ),
    "bearable_monthly_amount": (
        ("realiste", 2), ("faisable", 2), ("supportable", 2), ("mettre de cote", 2), ("consacrer", 2),
        ("capacite", 2), ("combien", 1), ("possible", 1), ("envisag", 1), ("par mois", 1), ("chaque mois", 1),
        ("mensualit", 1), ("rembours", 1), ("a l'aise", 1), ("montant", 1),
    ),
}  # fmt: skip
EXTRA_KEYWORD_WEIGHT = 2
PAYMENT = re.compile(
    r"echeanc|mensualit|versement|\bpayer\b|\bpaiement|\bregl(?:er|ement)|\bplan\b|etaler|prelevement|virement"
    r"|rembours|\bsolder\b"
)
PER_MONTH_AFTER = re.compile(
    r"^\s*(?:par\s+mois|/\s*mois|mensuel\w*|chaque\s+mois|tous\s+les\s+mois|le\s+mois|par\s+mensualit\w*)", re.I
)
PER_MONTH_BEFORE = re.compile(
    r"(?:mensualit[ée]s?|[ée]ch[ée]ances?|versements?|pr[ée]l[èe]vements?|paiements?)\s+(?:[\w'’]+\s+){0,2}?de\s*$",
    re.I,
)
LUMP_SUM = re.compile(
    r"en\s+une\s+(?:seule\s+)?fois|totalit|int[ée]gralit|d['’]un\s+(?:seul\s+)?coup|comptant|\bsolder\b"
    r"|tout\s+r[ée]gler|en\s+une\s+seule\s+[ée]ch[ée]ance",
    re.I,
)
TOTAL_SHARE = Decimal("0.9")  # an amount at least this share of what is owed is the total, not an instalment


def plain(text: str) -> str:
    """Lower case, no accents, straight apostrophes, single spaces: the form every keyword is matched in."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("\u202f", " ").replace("\xa0", " "))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"\s+", " ", stripped.casefold()).strip()


def _keyword(keyword: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])" + re.escape(plain(keyword)))


def matches(text: str, keywords: Iterable[str]) -> list[str]:
    """The keywords found in the text (a keyword matches at the start of a word: "revenu" finds "revenus")."""
    normalised = plain(text)
    return [keyword for keyword in keywords if keyword.strip() and _keyword(keyword).search(normalised)]


def topic_scores(text: str, extra: Mapping[str, Iterable[str]] | None = None) -> dict[str, int]:
    """How strongly the text is about each fact (only facts with a cue are listed); `extra`: keywords by fact."""
    normalised = plain(text)
    scores: dict[str, int] = {}
    for fact, cues in TOPIC_CUES.items():
        score = sum(weight for cue, weight in cues if _keyword(cue).search(normalised))
        if score:
            scores[fact] = score
    for fact, keywords in (extra or {}).items():
        score = EXTRA_KEYWORD_WEIGHT * len(matches(text, keywords))
        if score:
            scores[fact] = scores.get(fact, 0) + score
    return scores


def talks_payment(text: str) -> bool:
    return bool(PAYMENT.search(plain(text)))


@dataclass(frozen=True)
class Proposal:
    """A payment the agent puts forward: so much per month (or once) for so many months."""

    monthly: Decimal
    months: int
    lump_sum: bool
    explicit: bool  # named as a monthly amount or a one-off payment, not just an amount said in passing

    @property
    def total(self) -> Decimal:
        return self.monthly * self.months


def _ceil_cent(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_CEILING)


def proposal_in(text: str, amount_due: Decimal) -> Proposal | None:
    """The payment a text puts forward, or None when it names no amount."""
    entities = extract_entities(text, date.today())
    amounts: list[tuple[Decimal, bool]] = []
    for entity in entities:
        if entity.entity == "montant":
            per_month = bool(PER_MONTH_AFTER.match(text[entity.end :])) or bool(
                PER_MONTH_BEFORE.search(text[: entity.start])
            )
            amounts.append((Decimal(entity.value), per_month))
    amounts = [(amount, per_month) for amount, per_month in amounts if amount > 0]
    if not amounts:
        return None
    durations = [int(entity.value) for entity in entities if entity.entity == "duree"]
    months = durations[0] if durations else None
    monthly_amounts = [amount for amount, per_month in amounts if per_month]
    others = [amount for amount, per_month in amounts if not per_month]
    lump_words = bool(LUMP_SUM.search(text))
    if monthly_amounts:
        return _plan(monthly_amounts[0], months, amount_due, explicit=True)
    if months and months > 1:
        instalments = [amount for amount in others if amount < amount_due * TOTAL_SHARE]
        if instalments:
            return _plan(instalments[0], months, amount_due, explicit=True)
        return _plan(_ceil_cent(max(others) / months), months, amount_due, explicit=True)
    totals = [amount for amount in others if amount >= amount_due * TOTAL_SHARE / 2]
    if lump_words or (totals and len(totals) == len(others)):
        total = min(totals) if totals else max(others)
        return Proposal(monthly=total, months=1, lump_sum=True, explicit=lump_words)
    return _plan(others[0], months, amount_due, explicit=False)


def _plan(monthly: Decimal, months: int | None, amount_due: Decimal, *, explicit: bool) -> Proposal:
    count = months if months else max(1, math.ceil(amount_due / monthly))
    return Proposal(monthly=monthly, months=count, lump_sum=count == 1, explicit=explicit)
