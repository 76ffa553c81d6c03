"""Rasa 3 component: the debtor's intent from character and word TF-IDF features (see `text_model`)."""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.text_component import TextModelComponent
from bot.nlu.text_model import TextModel

RANKING_LENGTH = 10
IDENTIFICATION = "donner_reference"
# A message that is nothing but an identification element (a case reference, a postcode, a date of birth):
# the bot has just asked for it, and a statistical model has no words to go on ("75011" looked like a budget).
_ONLY_IDENTIFICATION = re.compile(
    r"^\s*(?:REC[-\s]?\d{4}[-\s]?\d{6}|\d{5}|\d{1,2}[/.-]\d{1,2}[/.-](?:19\d{2}|20[01]\d)|"
    r"\d{1,2}(?:er)?\s+(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|"
    r"d[ée]cembre)\s+(?:19\d{2}|20[01]\d))\s*[.!]?\s*$",
    re.IGNORECASE,
)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TfidfIntentClassifier(TextModelComponent):
    """Sets `intent` and `intent_ranking` like Rasa's own classifiers, from a calibrated TF-IDF model."""

    model_file = "intent_model.joblib"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"algorithm": "svm", "c": 0.5, "features": "char_word"}

    def label_of(self, message: Message) -> str | None:
        return message.get(INTENT)

    def new_model(self) -> TextModel:
        return TextModel(self.config["algorithm"], float(self.config["c"]), features=self.config["features"])

    def write(self, message: Message, ranking: list[dict[str, Any]]) -> None:
        if _ONLY_IDENTIFICATION.match(message.get(TEXT) or ""):
            others = [entry for entry in ranking if entry["name"] != IDENTIFICATION]
            ranking = [{"name": IDENTIFICATION, "confidence": 1.0}] + [{**e, "confidence": 0.0} for e in others]
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking[:RANKING_LENGTH], add_to_output=True)
