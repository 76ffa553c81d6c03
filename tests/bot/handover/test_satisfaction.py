from __future__ import annotations

import pytest

from bot.compliance.check import check_text
from bot.handover.satisfaction import QUESTION, SKIPPED, THANKS, rating_in


@pytest.mark.parametrize(
    ("text", "rating"),
    [
        ("4", 4.0),
        ("4/5", 4.0),
        ("5 !", 5.0),
        ("quatre sur cinq", 4.0),
        ("cinq", 5.0),
        ("⭐⭐⭐", 3.0),
        ("1 sur 5", 1.0),
    ],
)
def test_ratings(text: str, rating: float) -> None:
    assert rating_in(text) == rating


@pytest.mark.parametrize("text", ["non merci", "10", "2,5", "je vous dois 150 euros", "entre 3 et 4", ""])
def test_anything_else_skips_the_question(text: str) -> None:
    assert rating_in(text) == SKIPPED


def test_texts_are_compliant() -> None:
    assert check_text(QUESTION) == [] and check_text(THANKS) == []
