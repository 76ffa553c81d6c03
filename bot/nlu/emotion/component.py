"""Rasa 3 component: the emotion of each message, as `emotion` and `emotion_ranking` in the parse."""

from __future__ import annotations

from typing import Any

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.emotion.model import EmotionModel

EMOTION = "emotion"
EMOTION_RANKING = "emotion_ranking"
MODEL_FILE = "emotion_model.joblib"
MAX_TEXT_LENGTH = 2000


def example_emotion(message: Message) -> str | None:
    """The `metadata: {emotion: NAME}` of a training example."""
    metadata = message.get("metadata") or {}
    return (metadata.get("example") or {}).get(EMOTION)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class EmotionClassifier(GraphComponent):
    """Trained from the emotion in each NLU example's metadata; adds `emotion` and `emotion_ranking`."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"c": 5.0}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: EmotionModel | None = None,
    ) -> None:
        self.config = config
        self.model_storage = model_storage
        self.resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EmotionClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [(m.get(TEXT), example_emotion(m)) for m in training_data.intent_examples]
        labelled = [(text, emotion) for text, emotion in examples if text and emotion]
        if not labelled:
            raise ValueError("No NLU example carries `metadata: {emotion: …}`: the emotion model cannot train.")
        texts, emotions = zip(*labelled)
        self.model = EmotionModel(c=float(self.config["c"])).fit(texts, emotions)
        with self.model_storage.write_to(self.resource) as directory:
            joblib.dump(self.model, directory / MODEL_FILE)
        return self.resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> EmotionClassifier:
        with model_storage.read_from(resource) as directory:
            model = joblib.load(directory / MODEL_FILE)
        return cls(config, model_storage, resource, model)

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None:
            return messages
        rankings = self.model.rank([(m.get(TEXT) or "")[:MAX_TEXT_LENGTH] for m in messages])
        for message, ranking in zip(messages, rankings):
            entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
            message.set(EMOTION, entries[0], add_to_output=True)
            message.set(EMOTION_RANKING, entries, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
