"""`amiable eval nlu`: parses every example with the trained model and scores intents, emotions, entities."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.evaluation.dataset import Example
from bot.evaluation.metrics import Scores, macro_f1, multiset_matches, per_label, scores

ENTITY_TYPES = ("montant", "date", "duree", "reference_dossier", "option")
Parse = Callable[[str], dict[str, Any]]


def _span_key(text: str) -> str:
    """Span texts are compared without case, surrounding spaces or punctuation."""
    return re.sub(r"\s+", " ", text.strip(" \t\n.,;:!?")).casefold()


@dataclass
class NluReport:
    examples: int
    intent: dict[str, Scores]
    emotion: dict[str, Scores]
    entity: Scores
    entity_per_label: dict[str, Scores]
    intent_pairs: list[tuple[str, str]]
    emotion_pairs: list[tuple[str, str]]
    errors: list[dict[str, Any]] = field(default_factory=list)
    parse_ms: list[float] = field(default_factory=list)

    @property
    def intent_macro_f1(self) -> float:
        return macro_f1(self.intent)

    @property
    def emotion_macro_f1(self) -> float:
        return macro_f1(self.emotion)

    def as_dict(self) -> dict[str, Any]:
        latencies = sorted(self.parse_ms)

        def percentile(q: float) -> float:
            return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 2) if latencies else 0.0

        return {
            "examples": self.examples,
            "intent": {
                "macro_f1": round(self.intent_macro_f1, 4),
                "accuracy": round(sum(e == p for e, p in self.intent_pairs) / max(1, self.examples), 4),
                "per_label": {k: v.as_dict() for k, v in self.intent.items()},
            },
            "emotion": {
                "macro_f1": round(self.emotion_macro_f1, 4),
                "accuracy": round(sum(e == p for e, p in self.emotion_pairs) / max(1, len(self.emotion_pairs)), 4),
                "per_label": {k: v.as_dict() for k, v in self.emotion.items()},
            },
            "entity": {
                **self.entity.as_dict(),
                "per_label": {k: v.as_dict() for k, v in self.entity_per_label.items()},
            },
            "parse_latency_ms": {"p50": percentile(0.5), "p95": percentile(0.95)},
            "errors": self.errors,
        }


def score(examples: list[Example], parse: Parse, progress: Callable[[int, int], None] | None = None) -> NluReport:
    intent_pairs, emotion_pairs, errors, latencies = [], [], [], []
    entity_counts = {name: [0, 0, 0] for name in ENTITY_TYPES}
    for index, example in enumerate(examples, 1):
        started = time.perf_counter()
        result = parse(example.text)
        latencies.append((time.perf_counter() - started) * 1000)
        predicted_intent = (result.get("intent") or {}).get("name") or "nlu_fallback"
        predicted_emotion = (result.get("emotion") or {}).get("name")
        intent_pairs.append((example.intent, predicted_intent))
        if example.emotion:
            emotion_pairs.append((example.emotion, predicted_emotion or ""))
        expected = Counter((g.entity, _span_key(g.text), g.value) for g in example.entities)
        predicted = Counter(
            (e["entity"], _span_key(str(e.get("text") or example.text[e["start"] : e["end"]])), str(e.get("value")))
            for e in result.get("entities", [])
            if e.get("entity") in ENTITY_TYPES
        )
        for name in ENTITY_TYPES:
            tp, fp, fn = multiset_matches(
                Counter({k: v for k, v in expected.items() if k[0] == name}),
                Counter({k: v for k, v in predicted.items() if k[0] == name}),
            )
            entity_counts[name] = [a + b for a, b in zip(entity_counts[name], (tp, fp, fn))]
        if (
            predicted_intent != example.intent
            or (example.emotion and predicted_emotion != example.emotion)
            or (expected != predicted)
        ):
            errors.append(
                {
                    "text": example.text,
                    "intent": {"expected": example.intent, "predicted": predicted_intent},
                    "emotion": {"expected": example.emotion, "predicted": predicted_emotion},
                    "missing_entities": [list(k) for k in (expected - predicted).elements()],
                    "unexpected_entities": [list(k) for k in (predicted - expected).elements()],
                }
            )
        if progress:
            progress(index, len(examples))
    intents = sorted({e for e, _ in intent_pairs} | {p for _, p in intent_pairs})
    emotions = sorted({e for e, _ in emotion_pairs} | {p for _, p in emotion_pairs if p})
    totals = [sum(counts[i] for counts in entity_counts.values()) for i in range(3)]
    return NluReport(
        examples=len(examples),
        intent=per_label([e for e, _ in intent_pairs], [p for _, p in intent_pairs], intents),
        emotion=per_label([e for e, _ in emotion_pairs], [p for _, p in emotion_pairs], emotions),
        entity=scores(*totals),
        entity_per_label={name: scores(*counts) for name, counts in entity_counts.items() if any(counts)},
        intent_pairs=intent_pairs,
        emotion_pairs=emotion_pairs,
        errors=errors,
        parse_ms=latencies,
    )


def load_parser(model: Path, today: date) -> Parse:
    """Loads the trained Rasa model once; relative dates resolve against `today`."""
    os.environ["AMIABLE_TODAY"] = today.isoformat()
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    logging.getLogger("rasa").setLevel(logging.WARNING)

    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()

    def parse(text: str) -> dict[str, Any]:
        return loop.run_until_complete(agent.parse_message(text))

    return parse


def evaluate_nlu(
    examples: list[Example], model: Path, today: date, progress: Callable[[int, int], None] | None = None
) -> NluReport:
    return score(examples, load_parser(model, today), progress)
