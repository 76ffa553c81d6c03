"""Personal data masked in the free text kept in the journal: what a person reads the next morning needs the
meaning of a message, not the debtor's e-mail, phone, bank details, dates of birth or names."""

from __future__ import annotations

import re
from collections.abc import Iterable

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[e-mail]"),
    (re.compile(r"\bFR\d{2}(?:\s?[0-9A-Z]{4}){5}\s?[0-9A-Z]{3}\b", re.IGNORECASE), "[IBAN]"),
    (re.compile(r"\b(?:\d{4}[ -]?){3}\d{4}\b"), "[carte]"),
    (re.compile(r"(?:\+33\s?|\b0)[1-9](?:[ .-]?\d{2}){4}\b"), "[téléphone]"),
    (re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"), "[date]"),
    (
        re.compile(
            r"\b\d{1,2}(?:er)?\s+(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|"
            r"octobre|novembre|décembre|decembre)\s+(?:19|20)\d{2}\b",
            re.IGNORECASE,
        ),
        "[date]",
    ),
    (re.compile(r"\b\d{5}\b(?!\s*(?:€|euros?\b|eur\b|balles\b))", re.IGNORECASE), "[code postal]"),
)


def mask(text: str, names: Iterable[str] = ()) -> str:
    """`text` with e-mails, IBANs, card and phone numbers, full dates, postcodes and the given names masked."""
    masked = text
    for pattern, replacement in _PATTERNS:
        masked = pattern.sub(replacement, masked)
    for name in sorted({n.strip() for n in names if n and len(n.strip()) > 1}, key=len, reverse=True):
        masked = re.sub(rf"\b{re.escape(name)}\b", "[nom]", masked, flags=re.IGNORECASE)
    return masked
