"""The trained model on the frozen test set (never seen in training), and on hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluation.dataset import load_examples
from bot.evaluation.nlu import Parse, score

FROZEN = Path("tests") / "data" / "nlu_frozen_test.yml"
pytestmark = pytest.mark.e2e

# The targets of issue 3: intent macro-F1 0.92, emotion macro-F1 0.80, entity F1 0.90 (normalised values).
INTENT_FLOOR, EMOTION_FLOOR, ENTITY_FLOOR = 0.92, 0.80, 0.90


def test_frozen_set_scores(parse: Parse) -> None:
    report = score(load_examples(FROZEN), parse)
    assert report.examples >= 300
    assert report.intent_macro_f1 >= INTENT_FLOOR
    assert report.emotion_macro_f1 >= EMOTION_FLOOR
    assert report.entity.f1 >= ENTITY_FLOOR


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "a" * 5000,
        "😡😡😡🙏",
        "Hello, can you help me with my bill?",
        "¿Cuánto debo exactamente?",
        "<script>alert('x')</script><b>bonjour</b>",
        "'; DROP TABLE cases; --",
        "\u202eREC-2026-000101",
        "\x00\x07",
    ],
)
def test_any_text_gets_a_parse_never_an_exception(parse: Parse, text: str) -> None:
    result = parse(text)
    assert "intent" in result and "entities" in result
    if text.strip():
        assert result["emotion"]["name"] and len(result["emotion_ranking"]) == 8


@pytest.mark.parametrize("text", ["75011", "REC-2026-000101", "12/04/1987", "3 novembre 1962"])
def test_a_bare_identification_element_is_read_as_identification(parse: Parse, text: str) -> None:
    assert parse(text)["intent"]["name"] == "donner_reference"
