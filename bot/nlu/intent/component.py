"""Rasa 3 component: the debtor's intent from character and word TF-IDF features (see `text_model`)."""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.text_component import TextModelComponent
from bot.nlu.text_model import TextModel

RANKING_LENGTH = 10


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
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking[:RANKING_LENGTH], add_to_output=True)
