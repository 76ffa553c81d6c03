"""French dates resolved against the message's date: "vendredi prochain", "le 5", "fin du mois", "3/12".

A date without a year is resolved in the direction the sentence points to: the past when it speaks of
the past ("j'ai payé le 2 octobre", "lundi dernier"), the future for promises ("je paierai le 5"), and
otherwise the nearest occurrence. Vague expressions ("après ma paie", "bientôt") are not dates.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "janvier": 1,
    "janv": 1,
    "jan": 1,
    "février": 2,
    "fevrier": 2,
    "févr": 2,
    "fevr": 2,
    "fév": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "sep": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "décembre": 12,
    "decembre": 12,
    "déc": 12,
    "dec": 12,
}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
MONTH = r"(?P<month>" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\.?"
WEEKDAY = r"(?P<weekday>lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
DAY = r"(?P<day>1er|1re|premier|[0-3]?\d)"
YEAR = r"(?P<year>(?:19|20)\d{2}|\d{2}(?!\s*(?:€|euros?|e\b|balles)))"

PARTICIPLES = (
    r"\w{2,}(?:é|ée|és|ées)|fait|dit|pris|mis|re[çc]u|eu|été|vu|perdu|rendu|venu|parti|partie|sorti|fini|"
    r"d[ée]c[ée]d[ée]e?"
)
PAST_CUES = re.compile(
    r"\b(?:pass[ée]e?|hier|depuis|d[ée]j[àa]|il y a|[ée]tait|avait|fait le|re[çc]u|"
    r"(?:ai|as|a|avons|avez|ont|suis|est|sommes|sont|g|jai)\s+(?:(?:pas|jamais|déjà|deja|bien|tout|rien|encore|"
    rf"toujours|plus)\s+)?(?:{PARTICIPLES}))\b",
    re.IGNORECASE,
)
FUTURE_CUES = re.compile(
    r"\b(?:prochaine?|demain|peux|pourrai[st]?|pourrais|pourrait|vais|va|serai|ferai[st]?|paierai[st]?|"
    r"payerai[st]?|r[ée]glerai[st]?|verserai[st]?|aurai[st]?|avant le|d'ici|jusqu'au|jusqu'à|à partir|"
    r"d[èe]s le|attendre|reporter|d[ée]caler|voudrais|veux|souhaite|propose|dois|faut|pouvez|accord)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    value: date


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _direction(text: str, start: int, end: int, default: str = "nearest") -> str:
    """ "past", "future" or "nearest", from the words of the clause around the date."""
    clause_start = max(text.rfind(mark, 0, start) for mark in (".", "!", "?", ";", "\n", " mais ", " et "))
    clause_end_candidates = [text.find(mark, end) for mark in (".", "!", "?", ";", "\n", " mais ")]
    clause_end = min([c for c in clause_end_candidates if c != -1], default=len(text))
    clause = text[clause_start + 1 : clause_end]
    near = text[max(0, start - 12) : min(len(text), end + 12)].lower()
    if "dernier" in near or "dernière" in near or "passé" in near:
        return "past"
    if "prochain" in near or "demain" in near:
        return "future"
    if default != "nearest":
        return default
    past, future = bool(PAST_CUES.search(clause)), bool(FUTURE_CUES.search(clause))
    if past and not future:
        return "past"
    if future and not past:
        return "future"
    return default


def _resolve(candidates: Callable[[int], date | None], today: date, direction: str) -> date | None:
    """Chooses among the occurrences in last, this and next year."""
    options = [d for d in (candidates(today.year + shift) for shift in (-1, 0, 1)) if d is not None]
    past = [d for d in options if d < today]
    future = [d for d in options if d >= today]
    if direction == "past" and past:
        return max(past)
    if direction == "future" and future:
        return min(future)
    nearest = ([max(past)] if past else []) + ([min(future)] if future else [])
    return min(nearest, key=lambda d: (abs((d - today).days), d < today)) if nearest else None


def _day_number(text: str) -> int:
    text = text.lower()
    return 1 if text in ("1er", "1re", "premier") else int(text)


def _resolve_month_relative(which: str, today: date, month_word: str | None, direction: str) -> date:
    if month_word is None:
        year, month = today.year, today.month
        if "prochain" in which:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return _month_end(year, month) if which.startswith("fin") else date(year, month, 1)
    month = MONTHS[month_word.lower()]
    target = (lambda y: _month_end(y, month)) if which.startswith("fin") else (lambda y: date(y, month, 1))
    return _resolve(target, today, direction)  # type: ignore[return-value]


PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?P<d>[0-3]?\d)[/.-](?P<m>[01]?\d)[/.-](?P<y>(?:19|20)?\d{2})\b"), "numeric_full"),
    (re.compile(rf"\b(?:{WEEKDAY}\s+)?{DAY}\s+{MONTH}(?:\s+{YEAR})?\b", re.IGNORECASE), "day_month"),
    (re.compile(r"\b(?P<d>[0-3]?\d)/(?P<m>[01]?\d)\b(?![/.-]\d)"), "numeric_day_month"),
    (re.compile(r"\b(?:apr[èe]s[- ]demain|avant[- ]hier)\b", re.IGNORECASE), "relative_day"),
    (re.compile(r"\b(?:demain|hier)\b", re.IGNORECASE), "relative_day"),
    (re.compile(r"\b(?:no[ëe]l|nouvel an|jour de l'an|la saint[- ]sylvestre)\b", re.IGNORECASE), "holiday"),
    (re.compile(r"\b(?P<day>1er|[0-3]?\d)(?=\s+(?:du|de chaque)\s+mois)", re.IGNORECASE), "bare_day"),
    (
        re.compile(rf"\b{WEEKDAY}\s+(?P<day>1er|[0-3]?\d)\b(?!\s*(?:€|euros?|fois|mois|[,.]\d))", re.IGNORECASE),
        "weekday_day",
    ),
    (
        re.compile(
            rf"(?<!chaque )(?<!chaque\xa0)\b(?P<which>fin|d[ée]but)\s+"
            rf"(?:du\s+mois(?:\s+prochain)?|(?:de\s+)?{MONTH})\b",
            re.I,
        ),
        "month_part",
    ),
    (
        re.compile(r"\bdans\s+(?P<n>\d{1,2}|un|une|deux|trois|quatre|cinq|six|sept|huit|dix|quinze)\s+jours\b", re.I),
        "in_days",
    ),
    (
        re.compile(
            rf"(?<!\bun )(?<!\bbon )(?<!\ble )(?<!\bles )(?<!chaque )\b{WEEKDAY}(?:\s+(?P<rel>prochain|dernier))?\b"
            rf"(?!\s+(?:soir|matin|midi|après-midi))",
            re.IGNORECASE,
        ),
        "weekday",
    ),
    (
        re.compile(
            r"(?:(?<=\ble )|(?<=\bdu )|(?<=\bau )|(?<=jusqu'au )|(?<=\bce ))(?P<day>1er|[0-3]?\d)\b"
            r"(?!\s*(?:€|euros?|eur\b|balles|fois|mois|ans?\b|jours|semaines|%|h\b|heures|[,.]\d|ème|e\b|"
            r"ere\b|ère\b|er\s+(?:option|choix)))",
            re.IGNORECASE,
        ),
        "bare_day",
    ),
]
SMALL_NUMBERS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "dix": 10,
    "quinze": 15,
}


def _value(kind: str, match: re.Match[str], text: str, today: date, default: str) -> date | None:
    direction = _direction(text, match.start(), match.end(), default)
    groups = match.groupdict()
    if kind == "numeric_full":
        year = int(groups["y"])
        year += 0 if year >= 100 else (2000 if year <= today.year % 100 + 1 else 1900)
        return _safe(year, int(groups["m"]), int(groups["d"]))
    if kind == "day_month":
        day, month = _day_number(groups["day"]), MONTHS[groups["month"].lower()]
        if groups.get("year"):
            year = int(groups["year"])
            year += 0 if year >= 100 else (2000 if year <= today.year % 100 else 1900)
            return _safe(year, month, day)
        if groups.get("weekday"):
            weekday = WEEKDAYS[groups["weekday"].lower()]
            matching = [
                d for d in (_safe(today.year + s, month, day) for s in (-1, 0, 1)) if d and d.weekday() == weekday
            ]
            if matching:
                return min(matching, key=lambda d: abs((d - today).days))
        return _resolve(lambda y: _safe(y, month, day), today, direction)
    if kind == "numeric_day_month":
        day, month = int(groups["d"]), int(groups["m"])
        return _resolve(lambda y: _safe(y, month, day), today, direction) if 1 <= month <= 12 else None
    if kind == "weekday_day":
        day, weekday = _day_number(groups["day"]), WEEKDAYS[groups["weekday"].lower()]
        matching = [d for d in _month_days(today, day) if d.weekday() == weekday]
        return min(matching, key=lambda d: abs((d - today).days)) if matching else None
    if kind == "holiday":
        name = match.group(0).lower()
        month, day = (12, 25) if name.startswith("no") else (12, 31) if "sylvestre" in name else (1, 1)
        return _resolve(lambda y: date(y, month, day), today, direction)
    if kind == "relative_day":
        word = re.sub(r"[- ]", "", match.group(0).lower())
        offsets = {"aprèsdemain": 2, "apresdemain": 2, "avanthier": -2, "demain": 1, "hier": -1}
        return today + timedelta(days=offsets.get(word, 0))
    if kind == "month_part":
        return _resolve_month_relative(match.group(0).lower(), today, groups.get("month"), direction)
    if kind == "in_days":
        count = groups["n"].lower()
        return today + timedelta(days=int(count) if count.isdigit() else SMALL_NUMBERS[count])
    if kind == "weekday":
        weekday = WEEKDAYS[groups["weekday"].lower()]
        if (groups.get("rel") or "").lower() == "dernier" or direction == "past":
            back = (today.weekday() - weekday) % 7 or 7
            return today - timedelta(days=back)
        ahead = (weekday - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    if kind == "bare_day":
        day = _day_number(groups["day"])
        if not 1 <= day <= 31:
            return None
        return _resolve_bare_day(day, today, direction)
    return None


def _month_days(today: date, day: int) -> list[date]:
    """That day of last, this and next month (where it exists)."""
    days = []
    for shift in (-1, 0, 1):
        month_index = today.month - 1 + shift
        candidate = _safe(today.year + month_index // 12, month_index % 12 + 1, day)
        if candidate:
            days.append(candidate)
    return days


def _resolve_bare_day(day: int, today: date, direction: str) -> date | None:
    months = _month_days(today, day)
    past = [d for d in months if d < today]
    future = [d for d in months if d >= today]
    if direction == "past" and past:
        return max(past)
    if future and direction in ("future", "nearest"):
        return min(future)
    return max(past) if past else None


def find_dates(text: str, today: date, default_direction: str = "nearest") -> list[FoundDate]:
    """Every date expression, longest first where they overlap, with its resolved value.

    `default_direction` ("past", "future" or "nearest") applies when the sentence gives no cue, e.g.
    "past" for a message saying a payment was made.
    """
    found: list[FoundDate] = []
    taken = [False] * len(text)
    for pattern, kind in PATTERNS:
        for match in pattern.finditer(text):
            if any(taken[match.start() : match.end()]):
                continue
            value = _value(kind, match, text, today, default_direction)
            if value is None:
                continue
            found.append(FoundDate(match.start(), match.end(), value))
            for index in range(match.start(), match.end()):
                taken[index] = True
    return sorted(found, key=lambda item: item.start)
