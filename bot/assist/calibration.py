"""Chooses the pressure threshold of the agent-act classifier by stratified cross-validation on its training data.

For every fold, the model is trained on the other folds and ranks the held-out messages; the decision rule of
`bot.assist.acts.decide` (compliance safety net, then the optional pressure threshold) is then applied to these
out-of-fold rankings for each candidate threshold and for the plain argmax. No evaluation data is involved.

A threshold is adopted only when it reaches the target pressure recall while losing at most `MAX_MACRO_F1_LOSS`
of macro-F1 against the argmax (the issue's headroom: 0.904 measured, 0.88 required); among those, the best
macro-F1 wins. Otherwise the argmax is kept: a lower threshold would flag many compliant messages.

    .venv/bin/python -m bot.assist.calibration
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sklearn.model_selection import StratifiedKFold

from bot.assist.acts import AGENT_ACTS, FLAG_MIN_PRESSURE, PRESSURE, TRAINING_DIR, decide, fit_model
from bot.compliance.check import check_text
from bot.evaluation.dataset import Example, load_examples
from bot.evaluation.metrics import macro_f1, per_label
from bot.nlu.text_model import Ranking

TARGET_RECALL = 0.95
MAX_MACRO_F1_LOSS = 0.02
THRESHOLDS = tuple(round(0.05 + 0.01 * step, 2) for step in range(56))  # 0.05 to 0.60


@dataclass(frozen=True)
class ThresholdScore:
    threshold: float | None  # None: the argmax rule (with the compliance safety net)
    pressure_precision: float
    pressure_recall: float
    macro_f1: float


@dataclass(frozen=True)
class Calibration:
    examples: int
    folds: int
    scores: list[ThresholdScore]  # the argmax first, then each threshold
    chosen: ThresholdScore

    @property
    def argmax(self) -> ThresholdScore:
        return self.scores[0]


def out_of_fold_rankings(examples: Sequence[Example], folds: int = 5, seed: int = 0) -> list[Ranking]:
    """Each example ranked by a model trained on the folds that do not contain it."""
    texts = [example.text for example in examples]
    acts = [example.intent for example in examples]
    rankings: list[Ranking] = [[] for _ in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, held_out in splitter.split(texts, acts):
        model = fit_model([texts[i] for i in train], [acts[i] for i in train])
        for index, ranking in zip(held_out, model.rank([texts[i][:2000] for i in held_out])):
            rankings[index] = ranking
    return rankings


def score_thresholds(
    acts: Sequence[str],
    rankings: Sequence[Ranking],
    reasons: Sequence[list[str]],
    thresholds: Sequence[float | None] = (None, *THRESHOLDS),
    flag_min_pressure: float = FLAG_MIN_PRESSURE,
) -> list[ThresholdScore]:
    """Pressure precision and recall and macro-F1 of the decision rule at each threshold."""
    labels = [act for act in AGENT_ACTS if act in set(acts)]
    result = []
    for threshold in thresholds:
        predicted = [
            decide(ranking, why, threshold, flag_min_pressure)[0][0] for ranking, why in zip(rankings, reasons)
        ]
        table = per_label(list(acts), predicted, labels)
        pressure = table[PRESSURE]
        result.append(ThresholdScore(threshold, pressure.precision, pressure.recall, macro_f1(table)))
    return result


def choose_threshold(
    argmax: ThresholdScore,
    scores: Sequence[ThresholdScore],
    target_recall: float = TARGET_RECALL,
    max_macro_f1_loss: float = MAX_MACRO_F1_LOSS,
) -> ThresholdScore:
    """The argmax when it reaches the target recall, or when no threshold reaches it within the allowed macro-F1
    loss; else the best macro-F1 among the thresholds that do (ties: the highest threshold, which flags least)."""
    if argmax.pressure_recall >= target_recall:
        return argmax
    eligible = [
        score
        for score in scores
        if score.threshold is not None
        and score.pressure_recall >= target_recall
        and score.macro_f1 >= argmax.macro_f1 - max_macro_f1_loss
    ]
    if not eligible:
        return argmax
    return max(eligible, key=lambda score: (round(score.macro_f1, 6), score.threshold))


def calibrate(
    files: Sequence[Path] | None = None,
    folds: int = 5,
    target_recall: float = TARGET_RECALL,
    max_macro_f1_loss: float = MAX_MACRO_F1_LOSS,
    thresholds: Sequence[float] = THRESHOLDS,
    seed: int = 0,
) -> Calibration:
    """Cross-validates the decision rule on the training files (by default `bot/assist/training/*.yml`)."""
    paths = sorted(files if files is not None else TRAINING_DIR.glob("*.yml"))
    examples = [example for path in paths for example in load_examples(path)]
    rankings = out_of_fold_rankings(examples, folds, seed)
    reasons = [[finding.message for finding in check_text(example.text)] for example in examples]
    scores = score_thresholds([example.intent for example in examples], rankings, reasons, [None, *thresholds])
    chosen = choose_threshold(scores[0], scores[1:], target_recall, max_macro_f1_loss)
    return Calibration(len(examples), folds, scores, chosen)


def describe(score: ThresholdScore) -> str:
    rule = "argmax" if score.threshold is None else f"seuil {score.threshold:.2f}"
    return (
        f"{rule} : rappel pression {score.pressure_recall:.3f}, précision pression "
        f"{score.pressure_precision:.3f}, macro-F1 {score.macro_f1:.3f}"
    )


def main() -> int:
    print("Validation croisée de la règle de décision (quelques secondes)…", file=sys.stderr, flush=True)
    result = calibrate()
    print(f"{result.examples} exemples, {result.folds} plis stratifiés")
    for score in result.scores:
        print(("→ " if score == result.chosen else "  ") + describe(score))
    reaching = [s for s in result.scores if s.threshold is not None and s.pressure_recall >= TARGET_RECALL]
    if reaching:
        print(f"Seuil le plus haut atteignant le rappel {TARGET_RECALL:.2f} : {describe(reaching[-1])}")
    print(f"Retenu : {describe(result.chosen)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
