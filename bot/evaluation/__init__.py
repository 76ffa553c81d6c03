"""Evaluation of the language understanding on annotated French data (`amiable eval nlu`)."""

from bot.evaluation.nlu import NluReport, evaluate_nlu

__all__ = ["NluReport", "evaluate_nlu"]
