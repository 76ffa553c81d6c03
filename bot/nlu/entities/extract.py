"""Finds and normalises the five entities of the label contract in a debtor's message.

- `reference_dossier`: "rec 2025 000987" → "REC-2025-000987";
- `date`: ISO date resolved against the message's date (see `dates`);
- `duree`: months or number of instalments ("un an" → "12", "en 10 fois" → "10");
- `montant`: euros with two decimals ("deux cent cinquante euros" → "250.00", "300 balles" → "300.00");
  a bare number counts as an amount when its context says money (a budget line, "par mois", a list
  next to an amount, a payment verb);
- `option`: the number of a proposed option ("la deuxième" → "2").

Spans follow the annotation conventions of the training data: no leading article or preposition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.nlu.entities.dates import find_dates
from bot.nlu.entities.numbers import Number, find_numbers, words_to_int

REFERENCE = re.compile(r"\brec\s*[-/ ]?\s*(\d{4})\s*[-/ ]?\s*(\d{6})\b", re.IGNORECASE)
CURRENCY = re.compile(r"\s?(?:€|k€|euros?\b|eur\b|e\b|balles\b|boules\b|eus\b)", re.IGNORECASE)
MULTIPLIERS = {"k": 1000, "mille": 1000, "million": 1_000_000, "milliard": 1_000_000_000}
MULTIPLIER = re.compile(r"\s?(?P<word>k|mille|millions?|milliards?)\b\s*(?:d['’]\s*)?", re.IGNORECASE)
DURATION_UNITS = {
    "fois": 1,
    "mois": 1,
    "mensualité": 1,
    "mensualités": 1,
    "mensualite": 1,
    "mensualites": 1,
    "échéance": 1,
    "échéances": 1,
    "echeance": 1,
    "echeances": 1,
    "versement": 1,
    "versements": 1,
    "paiements": 1,
    "prélèvements": 1,
    "an": 12,
    "ans": 12,
    "année": 12,
    "années": 12,
    "annee": 12,
    "annees": 12,
}
DURATION_UNIT = re.compile(
    r"\s+(?P<unit>" + "|".join(sorted(map(re.escape, DURATION_UNITS), key=len, reverse=True)) + r")\b"
    r"(?P<half>\s+et\s+demie?)?",
    re.IGNORECASE,
)
NOT_A_DURATION_BEFORE = re.compile(
    r"(?:\bil y a|\bdepuis|\bplus de|\bmoins de|\bça fait|\bca fait|\bcela fait|\benceinte de|"
    r"\bâgée? de|\bage de|\bpendant les|manqu[ée]|rat[ée]|loup[ée]|pay[ée]|r[ée]gl[ée]|d[ée]j[àa])\s*$",
    re.IGNORECASE,
)
ORDINALS = {
    "premier": 1,
    "première": 1,
    "premiere": 1,
    "1er": 1,
    "1ère": 1,
    "1ere": 1,
    "1re": 1,
    "deuxième": 2,
    "deuxieme": 2,
    "second": 2,
    "seconde": 2,
    "2e": 2,
    "2ème": 2,
    "2eme": 2,
    "2nd": 2,
    "2nde": 2,
    "troisième": 3,
    "troisieme": 3,
    "3e": 3,
    "3ème": 3,
    "3eme": 3,
    "quatrième": 4,
    "quatrieme": 4,
    "4e": 4,
    "4ème": 4,
    "4eme": 4,
}
ORDINAL = re.compile(r"\b(" + "|".join(sorted(map(re.escape, ORDINALS), key=len, reverse=True)) + r")\b", re.I)
OPTION_NOUNS = r"(?:option|optn|proposition|solution|formule|offre|choix|possibilit[ée]|[ée]ch[ée]ancier|plan)"
OPTION_NUMBER = re.compile(
    rf"\b{OPTION_NOUNS}\s*(?:n°|no\.?|num[ée]ro)?\s*(?P<n>[1-5]|une?|deux|trois|quatre)\b(?!\s*(?:€|euros?|fois|mois))",
    re.IGNORECASE,
)
DETERMINER_NUMBER = re.compile(
    r"(?:(?<=\bla )|(?<=\bLa )|(?<=\bLA ))(?P<n>[1-5])\b(?!\s*(?:€|euros?|fois|mois|[,.]\d|/))"
)
NOT_OPTION_NOUNS = re.compile(
    r"^\s+(?:fois|mensualit|[ée]ch[ée]ance|relance|lettre|courrier|semaine|ann[ée]e|versement|paiement|"
    r"mois|jour|enfant|appel|facture|rappel|partie|moiti|tranche|pr[ée]l[èe]vement|virement|ch[èe]que|crédit|"
    r"cr[ée]dit|dette|chose|étape|etape)",
    re.IGNORECASE,
)
MONEY_AFTER = re.compile(
    r"^\s*(?:par\s+mois|/\s*mois|mensuel|le\s+mois|chaque\s+mois|de\s+(?:loyer|charges?|salaire|cr[ée]dit|"
    r"pension|ch[ôo]mage|retraite|revenus?|dette|frais|plus|moins|rsa|caf|apl|[ée]lectricit[ée]|gaz)|"
    r"qui\s+(?:rentrent|sortent|partent|restent)|(?:au|à\s+mon|à\s+ma|à\s+un|à\s+une)\s+\w+|"
    r"(?:tout\s+de\s+suite|maintenant|cash|d'un\s+coup|ça\s+vous\s+va|ce\s+serait)|partent|[àa]\s+peu\s+pr[èe]s)",
    re.IGNORECASE,
)
MONEY_BEFORE = re.compile(
    r"(?:gagne|touche|touch[ée]|per[çc]ois|salaire|paie|paye|loyer|charges?|revenus?|pension|allocations?|"
    r"ch[ôo]mage|retraite|rsa|payer|pay[ée]|verser|vers[ée]|virement|virment|ch[èe]que|mettre|donner|donne|"
    r"r[ée]clamez|r[ée]clame|demandez|montant|somme|pr[êe]t|forfait|cr[ée]dits?|facture|reste|rembourser|"
    r"proposer?|offrir|sortir|[ée]df|internet|assurance|mutuelle|[ée]lectricit[ée]|gaz|eau|t[ée]l[ée]phone|"
    r"proprio|essence|courses|cantine|nourrice|cr[èe]che|est\s+[àa]|de|entre|et|ou|\+|:|,)\s*(?:est\s+(?:de|à)\s*|"
    r"c'est\s*|fait\s*|de\s*|à\s*|environ\s*|genre\s*|max\s*|maximum\s*|seulement\s*|que\s*|juste\s*)?$",
    re.IGNORECASE,
)
ORDINAL_IS_NOT_AN_OPTION = frozenset({"proposer_paiement", "deja_paye", "informer_budget", "demander_delai"})
DATE_DIRECTION_BY_INTENT = {
    "deja_paye": "past",
    "proposer_paiement": "future",
    "payer_totalite": "future",
    "demander_delai": "future",
    "refuser_proposition": "future",
    "choisir_option": "future",
    "demander_echeancier": "future",
}
MONEY_INTENTS = frozenset({"informer_budget", "proposer_paiement", "refuser_proposition", "deja_paye"})


@dataclass(frozen=True)
class Entity:
    entity: str
    start: int
    end: int
    value: str

    def text(self, source: str) -> str:
        return source[self.start : self.end]

    def as_rasa(self, source: str, extractor: str) -> dict:
        return {
            "entity": self.entity,
            "start": self.start,
            "end": self.end,
            "value": self.value,
            "text": self.text(source),
            "confidence_entity": 1.0,
            "extractor": extractor,
        }


class _Spans:
    """Character positions already given to an entity."""

    def __init__(self, length: int) -> None:
        self.taken = [False] * length

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def take(self, start: int, end: int) -> None:
        for index in range(start, end):
            self.taken[index] = True


def _references(text: str, spans: _Spans) -> list[Entity]:
    found = []
    for match in REFERENCE.finditer(text):
        spans.take(match.start(), match.end())
        found.append(Entity("reference_dossier", match.start(), match.end(), f"REC-{match.group(1)}-{match.group(2)}"))
    return found


def _dates(text: str, today: date, spans: _Spans, intent: str | None) -> list[Entity]:
    found = []
    for item in find_dates(text, today, DATE_DIRECTION_BY_INTENT.get(intent or "", "nearest")):
        if spans.free(item.start, item.end):
            spans.take(item.start, item.end)
            found.append(Entity("date", item.start, item.end, item.value.isoformat()))
    return found


def _durations(text: str, numbers: list[Number], spans: _Spans) -> list[Entity]:
    found = []
    for number in numbers:
        unit = DURATION_UNIT.match(text, number.end)
        if not unit or not spans.free(number.start, unit.end()):
            continue
        if NOT_A_DURATION_BEFORE.search(text[: number.start]):
            continue
        word = unit.group("unit").lower()
        if word == "fois" and not _is_instalment_count(text, number, unit.end()):
            continue
        months = number.value * DURATION_UNITS[word] + (6 if unit.group("half") and DURATION_UNITS[word] == 12 else 0)
        if months != months.to_integral_value() or months <= 0 or months > 120:
            continue
        if number.in_words and number.value == 1 and DURATION_UNITS[word] == 1 and word != "mois":
            continue  # "en une fois", "une échéance": a single payment, not a plan
        spans.take(number.start, unit.end())
        found.append(Entity("duree", number.start, unit.end(), str(int(months))))
    return found


def _is_instalment_count(text: str, number: Number, end: int) -> bool:
    """ "en 3 fois", "3 fois 200 €" are instalments; "je l'ai dit trois fois", "5 fois par jour" are not."""
    before = text[max(0, number.start - 25) : number.start].lower()
    after = text[end : end + 25].lower()
    if re.match(r"\s*(?:par\s+(?:jour|semaine|an)|rien\b)", after):
        return False
    if re.match(r"\s*que\b", after) and not re.search(r"\b(?:les|des|en|sur)\s*$", before):
        return False
    if re.search(
        r"\b(?:dit|redemander|demander|r[ée]p[ée]t[ée]|factur[ée]e?s?|appel[ée]|raccroch[ée]|pay[ée]e?|payer|d[ée]j[àa])\s*$",
        before,
    ):
        return False
    if re.search(r"(?:\ben|\bsur|\bles|\bdes|\bpour|^)\s*$", before) or re.match(
        r"\s*\d|\s*[a-z]+\s+(?:€|euros)", after
    ):
        return True
    return not re.search(r"\b(?:dit|fait|vu|appel|factur|envoy|compt)", before)


def _amount(number: Number, end: int) -> Entity:
    return Entity("montant", number.start, end, f"{number.value.quantize(Decimal('0.01'))}")


def _amounts_with_currency(text: str, numbers: list[Number], spans: _Spans) -> list[Entity]:
    found = []
    for number in numbers:
        multiplied = MULTIPLIER.match(text, number.end)
        if multiplied:
            currency = CURRENCY.match(text, multiplied.end())
            if (currency or multiplied.group("word").lower() == "k") and spans.free(number.start, multiplied.end()):
                end = currency.end() if currency else multiplied.end()
                factor = MULTIPLIERS[multiplied.group("word").lower().rstrip("s")]
                spans.take(number.start, end)
                value = (number.value * factor).quantize(Decimal("0.01"))
                found.append(Entity("montant", number.start, end, f"{value}"))
                continue
        currency = CURRENCY.match(text, number.end)
        if currency and spans.free(number.start, currency.end()):
            if currency.group(0).strip().lower() == "e" and (number.in_words or number.value < 10):
                continue
            if number.value == 0 or (
                number.in_words
                and number.value == 1
                and re.search(r"(?:pas|jamais|aucun|rien)\s*$", text[: number.start])
            ):
                continue  # "pas un euro", "zéro euro": a refusal, not an amount
            spans.take(number.start, currency.end())
            found.append(_amount(number, currency.end()))
    return found


def _options(text: str, spans: _Spans, intent: str | None) -> list[Entity]:
    found = []
    for match in OPTION_NUMBER.finditer(text):
        start, end = match.span("n")
        if spans.free(start, end):
            value = int(match.group("n")) if match.group("n").isdigit() else words_to_int(match.group("n"))
            spans.take(start, end)
            found.append(Entity("option", start, end, str(value)))
    for match in ORDINAL.finditer(text):
        if not spans.free(match.start(), match.end()) or NOT_OPTION_NOUNS.match(text[match.end() :]):
            continue
        if intent in ORDINAL_IS_NOT_AN_OPTION and not re.match(rf"\s+{OPTION_NOUNS}", text[match.end() :], re.I):
            continue
        before = text[max(0, match.start() - 12) : match.start()].lower()
        if not re.search(r"(?:\bla|\ble|\bl'|votre|\bvos|\bma|\bmon|pour|^)\s*$", before) and match.start() > 0:
            continue
        spans.take(match.start(), match.end())
        found.append(Entity("option", match.start(), match.end(), str(ORDINALS[match.group(1).lower()])))
    for match in DETERMINER_NUMBER.finditer(text):
        start, end = match.span("n")
        if spans.free(start, end):
            spans.take(start, end)
            found.append(Entity("option", start, end, match.group("n")))
    alone = re.fullmatch(r"\s*(?:n°\s*)?([1-5])\s*[.!?]*\s*", text)
    if alone and intent == "choisir_option" and spans.free(alone.start(1), alone.end(1)):
        spans.take(alone.start(1), alone.end(1))
        found.append(Entity("option", alone.start(1), alone.end(1), alone.group(1)))
    return found


def _bare_amounts(
    text: str, numbers: list[Number], found: list[Entity], intent: str | None, spans: _Spans
) -> list[Entity]:
    """Numbers without a currency that the context marks as money."""
    has_money = any(entity.entity == "montant" for entity in found)
    result = []
    for number in numbers:
        if not spans.free(number.start, number.end):
            continue
        if number.in_words and (
            number.value < 20 or re.fullmatch(r"(?i)cents?|mille", text[number.start : number.end])
        ):
            continue
        if not number.in_words and (
            len(text[number.start : number.end]) == 5
            and number.value >= 1000
            and " " not in text[number.start : number.end]
        ):
            continue  # a postcode
        if 1900 <= number.value <= 2100 and re.fullmatch(r"\d{4}", text[number.start : number.end]):
            continue  # a year
        after, before = text[number.end :], text[: number.start]
        if re.match(
            r"\s*(?:h(?:\d|\b)|heures|min|ans\b|%|ème|e\b|er\b|jours|semaines|enfants|personnes|km|kilo|"
            r"rue|avenue|av\b|bd\b|boulevard|chemin|all[ée]e|place|impasse|route)",
            after,
            re.I,
        ):
            continue
        money_context = bool(MONEY_AFTER.match(after)) or bool(
            MONEY_BEFORE.search(before[-40:]) and not re.search(r"\b(?:le|du|au|la)\s*$", before[-4:], re.I)
        )
        if (money_context and (number.value >= 10 or has_money)) or (intent in MONEY_INTENTS and number.value >= 10):
            spans.take(number.start, number.end)
            result.append(_amount(number, number.end))
    return result


def extract_entities(text: str, today: date, intent: str | None = None) -> list[Entity]:
    """Every entity of the contract in `text`, with normalised values, sorted by position."""
    spans = _Spans(len(text))
    found = _references(text, spans)
    found += _dates(text, today, spans, intent)
    numbers = [n for n in find_numbers(text) if spans.free(n.start, n.end)]
    found += _durations(text, numbers, spans)
    found += _amounts_with_currency(text, numbers, spans)
    found += _options(text, spans, intent)
    found += _bare_amounts(text, numbers, found, intent, spans)
    return sorted(found, key=lambda entity: entity.start)
