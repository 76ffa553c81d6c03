"""Base of the Rasa 3 components that classify a whole message with a `TextModel` (intent, emotion)."""

from __future__ import annotations

from typing import Any

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.code_fingerprint import FingerprintedByNluCode
from bot.nlu.text_model import TextModel

MAX_TEXT_LENGTH = 2000


class TextModelComponent(FingerprintedByNluCode, GraphComponent):
    """Trains a `TextModel` on each example's label, persists it in the Rasa model, ranks new messages.

    Subclasses say which label an example carries (`label_of`) and where the ranking goes (`write`).
    """

    model_file = "text_model.joblib"

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, model: TextModel | None = None
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
    ) -> TextModelComponent:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TextModelComponent:
        with model_storage.read_from(resource) as directory:
            model = joblib.load(directory / cls.model_file)
        return cls(config, model_storage, resource, model)

    def label_of(self, message: Message) -> str | None:
        raise NotImplementedError

    def new_model(self) -> TextModel:
        raise NotImplementedError

    def write(self, message: Message, ranking: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def train(self, training_data: TrainingData) -> Resource:
        labelled = [(m.get(TEXT), self.label_of(m)) for m in training_data.intent_examples]
        labelled = [(text, label) for text, label in labelled if text and label]
        if not labelled:
            raise ValueError(f"{type(self).__name__}: no labelled training example.")
        self.model = self.new_model().fit([text for text, _ in labelled], [label for _, label in labelled])
        with self.model_storage.write_to(self.resource) as directory:
            joblib.dump(self.model, directory / self.model_file)
        return self.resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None:
            return messages
        rankings = self.model.rank([(m.get(TEXT) or "")[:MAX_TEXT_LENGTH] for m in messages])
        for message, ranking in zip(messages, rankings):
            self.write(message, [{"name": name, "confidence": confidence} for name, confidence in ranking])
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
