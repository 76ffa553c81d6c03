"""The satisfaction question at the end of a conversation: a 1–5 rating, which the debtor may skip."""

from __future__ import annotations

import re

QUESTION = (
    "Avant de nous quitter : comment évalueriez-vous cet échange, de 1 (pas du tout satisfait) à 5 (très "
    "satisfait) ? Vous pouvez aussi passer cette question."
)
THANKS = "Merci pour votre note, elle nous aide à améliorer ce service."
SKIPPED = 0.0  # the debtor answered something else: nothing is recorded

_WORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5}
_DIGIT = re.compile(r"(?<![\d,.])([1-5])(?:\s*(?:/|sur)\s*5)?(?![\d,.])")
_WORD = re.compile(r"\b(un|une|deux|trois|quatre|cinq)\b(?:\s*(?:/|sur)\s*(?:5|cinq))?", re.IGNORECASE)
_STARS = re.compile(r"[⭐★]")


def rating_in(text: str) -> float:
    """1 to 5 from "4", "4/5", "quatre sur cinq", "⭐⭐⭐"; SKIPPED for anything else."""
    stripped = text.strip()
    stars = len(_STARS.findall(stripped))
    if 1 <= stars <= 5 and not _STARS.sub("", stripped).strip():
        return float(stars)
    digits = _DIGIT.findall(stripped)
    if len(digits) == 1 and len(stripped) <= 20:
        return float(digits[0])
    words = _WORD.findall(stripped)
    if len(words) == 1 and len(stripped.split()) <= 4:
        return float(_WORDS[words[0].lower()])
    return SKIPPED
