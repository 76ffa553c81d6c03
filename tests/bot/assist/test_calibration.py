"""The cross-validated choice of the pressure threshold, on hand-made rankings and on a tiny training file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.assist.calibration import ThresholdScore, calibrate, choose_threshold, score_thresholds

ARGMAX = ThresholdScore(None, 0.80, 0.85, 0.80)

SMALL = """version: "3.1"
nlu:
- intent: pression
  examples:
  - text: Si vous ne payez pas, l'huissier viendra chez vous demain.
  - text: Vous devriez avoir honte de ne pas payer vos factures.
  - text: Dernier délai ce soir, après c'est le tribunal.
  - text: Les autres paient bien, eux, alors pourquoi pas vous ?
  - text: On va prévenir votre employeur si rien n'arrive lundi.
  - text: Vous serez fiché à la Banque de France dès demain.
- intent: empathie
  examples:
  - text: Je comprends que la période soit difficile pour vous.
  - text: Vous avez bien fait de nous appeler, ce n'est pas simple.
  - text: Je suis désolée pour ce que vous traversez en ce moment.
  - text: Personne ici ne vous juge, vous savez.
  - text: C'est normal d'être inquiet face à ce courrier.
  - text: Merci de prendre le temps d'en parler avec moi.
- intent: proposition
  examples:
  - text: Je vous propose 6 mensualités de 50 € à partir du 5.
  - text: On peut commencer par 20 € ce mois-ci, puis on refait le point.
  - text: Que diriez-vous d'un report de la première échéance au 15 ?
  - text: Je peux vous proposer de régler en trois fois sans frais.
  - text: On pourrait fixer le prélèvement au 10, après votre paie.
  - text: Je vous propose une remise de 10 % si vous réglez avant la fin du mois.
"""


def test_rules_are_scored_on_out_of_fold_rankings() -> None:
    acts = ["pression", "pression", "information", "information"]
    rankings = [
        [("pression", 0.9), ("information", 0.1)],
        [("information", 0.7), ("pression", 0.3)],  # a threat the argmax misses
        [("information", 0.8), ("pression", 0.2)],
        [("information", 0.6), ("pression", 0.4)],
    ]
    argmax, at_035, at_025, at_015 = score_thresholds(acts, rankings, [[], [], [], []], [None, 0.35, 0.25, 0.15])
    assert (argmax.pressure_recall, argmax.pressure_precision) == (0.5, 1.0)
    assert argmax.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2)  # pression F1 2/3, information F1 0.8
    assert (at_035.pressure_recall, at_035.pressure_precision) == (0.5, 0.5)  # flags the wrong one first
    assert (at_025.pressure_recall, at_025.pressure_precision) == (1.0, pytest.approx(2 / 3))
    assert (at_015.pressure_recall, at_015.pressure_precision) == (1.0, 0.5)
    flagged = score_thresholds(acts, rankings, [[], ["menace"], [], []], [None], flag_min_pressure=0.05)[0]
    assert flagged.pressure_recall == 1.0  # the compliance safety net applies in the cross-validation too


def test_the_argmax_is_kept_when_it_already_reaches_the_target() -> None:
    reached = ThresholdScore(None, 0.80, 0.96, 0.80)
    better = ThresholdScore(0.30, 0.80, 0.99, 0.85)
    assert choose_threshold(reached, [better]) is reached


def test_the_best_macro_f1_reaching_the_target_within_the_allowed_loss_wins() -> None:
    scores = [
        ThresholdScore(0.20, 0.60, 0.97, 0.785),
        ThresholdScore(0.25, 0.65, 0.955, 0.79),
        ThresholdScore(0.30, 0.70, 0.94, 0.795),  # best macro-F1 but short of the recall target
    ]
    assert choose_threshold(ARGMAX, scores).threshold == 0.25
    assert choose_threshold(ARGMAX, scores, target_recall=0.96).threshold == 0.20
    assert choose_threshold(ARGMAX, scores, target_recall=0.90).threshold == 0.30


def test_a_threshold_costing_too_much_macro_f1_is_not_adopted() -> None:
    costly = [ThresholdScore(0.19, 0.59, 0.954, 0.67), ThresholdScore(0.40, 0.75, 0.87, 0.79)]
    assert choose_threshold(ARGMAX, costly) is ARGMAX
    assert choose_threshold(ARGMAX, costly, max_macro_f1_loss=0.2).threshold == 0.19


def test_calibrate_cross_validates_the_training_files(tmp_path: Path) -> None:
    small = tmp_path / "small.yml"
    small.write_text(SMALL, encoding="utf-8")
    result = calibrate([small], folds=3, thresholds=(0.2, 0.4))
    assert result.examples == 18 and result.folds == 3
    assert [score.threshold for score in result.scores] == [None, 0.2, 0.4]
    assert result.argmax.threshold is None and result.chosen in result.scores
    assert all(0 <= score.macro_f1 <= 1 for score in result.scores)
    assert result.scores[1].pressure_recall >= result.scores[2].pressure_recall >= result.argmax.pressure_recall
