"""Rasa 3 component: French entities with normalised values (see `bot.nlu.entities`)."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.code_fingerprint import FingerprintedByNluCode
from bot.nlu.entities import extract_entities
from bot.nlu.reference_date import reference_date


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class FrenchEntityExtractor(FingerprintedByNluCode, GraphComponent, EntityExtractorMixin):
    """Finds montant, date, duree, reference_dossier and option; the value is the normalised one.

    Place it after the intent classifier: the intent helps read bare numbers ("3" alone is an option
    when choosing, a date's direction is the past when the debtor says they already paid).
    """

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FrenchEntityExtractor:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        today = reference_date()
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            found = [entity.as_rasa(text, self.name) for entity in extract_entities(text, today, intent)]
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
