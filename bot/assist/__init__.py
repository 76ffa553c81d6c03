"""Agent assist: what an agent (or a trainee) writes, classified into the contract's agent acts."""

from bot.assist.acts import AGENT_ACTS, ActClassifier, ActPrediction, load_classifier

__all__ = ["AGENT_ACTS", "ActClassifier", "ActPrediction", "load_classifier"]
