"""Entity extraction and normalisation for French debtor messages."""

from bot.nlu.entities.extract import Entity, extract_entities

__all__ = ["Entity", "extract_entities"]
