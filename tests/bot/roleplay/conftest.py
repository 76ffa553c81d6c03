"""Fixtures of the role-play tests: the real agent-act classifier, and a fixed one to test the debtor's rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from bot.assist import ActClassifier, load_classifier


@dataclass(frozen=True)
class FixedPrediction:
    act: str
    confidence: float = 1.0


class FixedClassifier:
    """Reads each line as the act the test says (default `autre`): the debtor's rules without the model."""

    def __init__(self, acts: Mapping[str, str] | None = None, default: str = "autre") -> None:
        self.acts = dict(acts or {})
        self.default = default

    def predict(self, text: str) -> FixedPrediction:
        return FixedPrediction(self.acts.get(text.strip(), self.default))


@pytest.fixture(scope="session")
def classifier() -> ActClassifier:
    return load_classifier()
