"""Per-label precision, recall and F1, and multiset F1 for entities."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    support: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.support,
        }


def scores(true_positives: int, false_positives: int, false_negatives: int) -> Scores:
    precision = true_positives / (true_positives + false_positives) if true_positives + false_positives else 0.0
    recall = true_positives / (true_positives + false_negatives) if true_positives + false_negatives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, true_positives + false_negatives)


def per_label(expected: Sequence[str], predicted: Sequence[str], labels: Iterable[str]) -> dict[str, Scores]:
    result = {}
    for label in labels:
        tp = sum(1 for e, p in zip(expected, predicted) if e == label and p == label)
        fp = sum(1 for e, p in zip(expected, predicted) if e != label and p == label)
        fn = sum(1 for e, p in zip(expected, predicted) if e == label and p != label)
        result[label] = scores(tp, fp, fn)
    return result


def macro_f1(table: dict[str, Scores]) -> float:
    """Mean F1 over the labels present in the expected data."""
    present = [s.f1 for s in table.values() if s.support]
    return sum(present) / len(present) if present else 0.0


def multiset_matches(expected: Counter, predicted: Counter) -> tuple[int, int, int]:
    true_positives = sum((expected & predicted).values())
    return true_positives, sum(predicted.values()) - true_positives, sum(expected.values()) - true_positives
