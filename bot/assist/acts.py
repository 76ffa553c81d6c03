"""The agent-act classifier: character + word TF-IDF and a calibrated linear SVM (the same text model as the
debtor intents), trained on `bot/assist/training/*.yml`, with the compliance check as a safety net: a draft the
check finds threatening, shaming or inventing a fee is `pression` unless the model is sure it is not (missing a
threat is the costly error).

The trained model is cached in `models/agent_acts.joblib`, keyed by a hash of the training files and of this
package's code: it is retrained (a few seconds) only when they change.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

import joblib

from bot.compliance.check import check_text
from bot.evaluation.dataset import load_examples
from bot.nlu.text_model import TextModel

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
# cross-validation on the training data: pressure recall 0.709 → 0.761 at the same precision (0.68).
FLAG_MIN_PRESSURE = 0.05


@dataclass(frozen=True)
class ActPrediction:
    act: str
    confidence: float
    ranking: list[tuple[str, float]]
    compliance_reasons: list[str]


def _fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in [*files, *sorted(Path(__file__).parent.glob("*.py"))]:
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
        unknown = {example.intent for example in examples} - set(AGENT_ACTS)
        if unknown:
            raise ValueError(f"actes inconnus dans les données d'entraînement : {', '.join(sorted(unknown))}")
        model = TextModel("svm", 1.0).fit([e.text for e in examples], [e.intent for e in examples])
        return cls(model, _fingerprint(files))

    def predict(self, text: str) -> ActPrediction:
        ranking = self.model.rank([text[:2000]])[0]
        reasons = [finding.message for finding in check_text(text)]
        pressure = dict(ranking).get(PRESSURE, 0.0)
        if reasons and pressure >= FLAG_MIN_PRESSURE:  # a forbidden phrase the model also finds a little pressing
            ranking = [(PRESSURE, 1.0)] + [(act, 0.0) for act, _ in ranking if act != PRESSURE]
        act, confidence = ranking[0]
        return ActPrediction(act, confidence, ranking, reasons)


def load_classifier(cache: Path = DEFAULT_CACHE) -> ActClassifier:
    """The cached classifier when the training data and code are unchanged, else a freshly trained one."""
    files = sorted(TRAINING_DIR.glob("*.yml"))
    if not files:
        raise FileNotFoundError(f"aucune donnée d'entraînement des actes dans {TRAINING_DIR}")
    fingerprint = _fingerprint(files)
    if cache.is_file():
        cached = joblib.load(cache)
        if isinstance(cached, ActClassifier) and cached.fingerprint == fingerprint:
            return cached
    print("Entraînement du classifieur des actes de l'agent…", file=sys.stderr, flush=True)
    classifier = ActClassifier.train(files)
    cache.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(classifier, cache)
    return classifier
