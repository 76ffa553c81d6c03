"""The agent-act classifier: character + word TF-IDF and a calibrated linear SVM (the same text model as the
debtor intents), trained on `bot/assist/training/*.yml`, with a cost-sensitive decision rule (missing a threat is
the costly error): a draft is `pression` when the compliance check finds it threatening, shaming or inventing a fee
unless the model is sure it is not, or, when `PRESSURE_THRESHOLD` is set (cross-validation keeps it unset today),
as soon as the model gives pressure that probability.

The trained model is cached in `models/agent_acts.joblib`, keyed by a hash of the training files and of this
package's code: it is retrained (a few seconds) only when they change.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import joblib

from bot.compliance.check import check_text
from bot.evaluation.dataset import load_examples
from bot.nlu import text_model
from bot.nlu.text_model import Ranking, TextModel

AGENT_ACTS = (
    "question_ouverte",
    "question_fermee",
    "reformulation",
    "empathie",
    "information",
    "proposition",
    "pression",
    "autre",
)
PRESSURE = "pression"
TRAINING_DIR = Path(__file__).with_name("training")
DEFAULT_CACHE = Path("models") / "agent_acts.joblib"
# The compliance check overrides the model only when the model gives pressure at least this probability:
# its strict rules also match neutral information ("les pénalités", "le FICP"). Chosen by 5-fold
# cross-validation on the training data: pressure recall 0.709 → 0.761 at the same precision (0.68); on the
# 1 705 examples of today's data, recall 0.831 → 0.853 and precision 0.799 → 0.771 (without → with the net).
FLAG_MIN_PRESSURE = 0.05
# Optional cost-sensitive rule: pressure wins as soon as the model gives it this probability, even when another
# act ranks first; None keeps the argmax. Chosen by `bot.assist.calibration.calibrate()` (5-fold stratified
# cross-validation on the 1 927 training examples; .venv/bin/python -m bot.assist.calibration):
# the argmax gives pressure recall 0.846, precision 0.774, macro-F1 0.809; the highest threshold reaching recall
# 0.95 is 0.18 (recall 0.957, precision 0.591, macro-F1 0.694), far beyond the 0.02 macro-F1 the calibration
# may give up, so the argmax is kept. The training data is built around the pressure boundary, hence the low CV
# figures; on the frozen held-out set the argmax gives pressure recall 0.966 (precision 0.803), macro-F1 0.907.
PRESSURE_THRESHOLD: float | None = None


@dataclass(frozen=True)
class ActPrediction:
    act: str
    confidence: float
    ranking: list[tuple[str, float]]
    compliance_reasons: list[str]


MODEL_CODE = (Path(__file__), Path(text_model.__file__))  # what decides the trained model, besides the data


def _fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in [*files, *MODEL_CODE]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class ActClassifier:
    def __init__(self, model: TextModel, fingerprint: str = "") -> None:
        self.model = model
        self.fingerprint = fingerprint

    @classmethod
    def train(cls, files: list[Path] | None = None) -> ActClassifier:
        files = sorted(files if files is not None else TRAINING_DIR.glob("*.yml"))
        examples = [example for path in files for example in load_examples(path)]
        model = fit_model([e.text for e in examples], [e.intent for e in examples])
        return cls(model, _fingerprint(files))

    def predict(self, text: str) -> ActPrediction:
        ranking = self.model.rank([text[:2000]])[0]
        reasons = [finding.message for finding in check_text(text)]
        ranking = decide(ranking, reasons)
        act, confidence = ranking[0]
        return ActPrediction(act, confidence, ranking, reasons)


def fit_model(texts: list[str], acts: list[str]) -> TextModel:
    unknown = set(acts) - set(AGENT_ACTS)
    if unknown:
        raise ValueError(f"actes inconnus dans les données d'entraînement : {', '.join(sorted(unknown))}")
    return TextModel("svm", 1.0).fit(texts, acts)


def decide(
    ranking: Ranking,
    reasons: list[str],
    pressure_threshold: float | None = PRESSURE_THRESHOLD,
    flag_min_pressure: float = FLAG_MIN_PRESSURE,
) -> Ranking:
    """The model's ranking with pressure put first when the cost-sensitive rule says so."""
    pressure = dict(ranking).get(PRESSURE, 0.0)
    if reasons and pressure >= flag_min_pressure:  # a forbidden phrase the model also finds a little pressing
        return [(PRESSURE, 1.0)] + [(act, 0.0) for act, _ in ranking if act != PRESSURE]
    if pressure_threshold is not None and pressure >= pressure_threshold:  # pressure goes first, probabilities kept
        return [(PRESSURE, pressure)] + [(act, p) for act, p in ranking if act != PRESSURE]
    return ranking


def load_classifier(cache: Path = DEFAULT_CACHE) -> ActClassifier:
    """The cached classifier when the training data and code are unchanged, else a freshly trained one."""
    files = sorted(TRAINING_DIR.glob("*.yml"))
    if not files:
        raise FileNotFoundError(f"aucune donnée d'entraînement des actes dans {TRAINING_DIR}")
    fingerprint = _fingerprint(files)
    if cache.is_file():
        try:
            cached = joblib.load(cache)
        except Exception:  # noqa: BLE001 — a truncated or foreign file is only a stale cache: retrain
            cached = None
        if isinstance(cached, ActClassifier) and cached.fingerprint == fingerprint:
            return cached
    print("Entraînement du classifieur des actes de l'agent…", file=sys.stderr, flush=True)
    classifier = ActClassifier.train(files)
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
    joblib.dump(classifier, partial)
    os.replace(partial, cache)  # atomic: a server starting meanwhile never reads a half-written model
    return classifier
