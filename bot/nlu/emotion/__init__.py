"""Emotion of a debtor's message: the model and the Rasa component that serves it."""

from bot.nlu.emotion.model import EMOTIONS, EmotionModel

__all__ = ["EMOTIONS", "EmotionModel"]
