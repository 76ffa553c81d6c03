"""`amiable eval acts`: the agent-act classifier on annotated agent messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.assist.acts import AGENT_ACTS, ActClassifier
from bot.evaluation.dataset import Example
from bot.evaluation.metrics import Scores, macro_f1, per_label


@dataclass
class ActsReport:
    examples: int
    per_act: dict[str, Scores]
    pairs: list[tuple[str, str]]
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        return macro_f1(self.per_act)

    def as_dict(self) -> dict[str, Any]:
        return {
            "examples": self.examples,
            "acts": {
                "macro_f1": round(self.macro_f1, 4),
                "accuracy": round(sum(e == p for e, p in self.pairs) / max(1, self.examples), 4),
                "per_label": {act: scores.as_dict() for act, scores in self.per_act.items()},
            },
            "errors": self.errors,
        }


def evaluate_acts(examples: list[Example], classifier: ActClassifier) -> ActsReport:
    unknown = sorted({example.intent for example in examples} - set(AGENT_ACTS))
    if unknown:
        raise ValueError(f"actes inconnus : {', '.join(unknown)} (attendus : {', '.join(AGENT_ACTS)})")
    pairs = []
    errors = []
    for example in examples:
        prediction = classifier.predict(example.text)
        pairs.append((example.intent, prediction.act))
        if prediction.act != example.intent:
            errors.append(
                {
                    "text": example.text,
                    "expected": example.intent,
                    "predicted": prediction.act,
                    "confidence": round(prediction.confidence, 3),
                }
            )
    table = per_label([e for e, _ in pairs], [p for _, p in pairs], AGENT_ACTS)
    return ActsReport(len(examples), table, pairs, errors)
