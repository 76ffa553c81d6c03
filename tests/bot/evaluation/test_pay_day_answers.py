"""Pay-day answers are read as such by the trained model, never as a dispute, a refusal or a payment already made;
payments already made or offered in full on a given day keep their intent (tests/data/pay_day_answers.yml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.evaluation.nlu import Parse
from bot.negotiation.dialogue import INTERRUPTIONS, JOUR_PAIE, pay_day_answer

ANSWERS = yaml.safe_load((Path("tests") / "data" / "pay_day_answers.yml").read_text(encoding="utf-8"))
pytestmark = pytest.mark.e2e


def test_every_pay_day_answer_gives_a_day_and_interrupts_nothing(parse: Parse) -> None:
    misread = []
    for text in ANSWERS["pay_day"]:
        result = parse(text)
        intent = result["intent"]["name"]
        if intent in INTERRUPTIONS or pay_day_answer(result, JOUR_PAIE) is None:
            misread.append(f"« {text} » : {intent}")
    assert len(ANSWERS["pay_day"]) >= 50 and not misread, "\n".join(misread)


@pytest.mark.parametrize("intent", ["deja_paye", "payer_totalite"])
def test_a_payment_made_or_offered_on_a_day_keeps_its_intent(parse: Parse, intent: str) -> None:
    misread = [
        f"« {text} » : {parse(text)['intent']['name']}"
        for text in ANSWERS[intent]
        if parse(text)["intent"]["name"] != intent
    ]
    assert ANSWERS[intent] and not misread, "\n".join(misread)
