"""The agent-act classifier: training, the compliance safety net, the cache, and the frozen test set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.assist import AGENT_ACTS, ActClassifier, load_classifier
from bot.assist.acts import decide
from bot.cli import main
from bot.evaluation.acts import evaluate_acts
from bot.evaluation.dataset import load_examples

FROZEN = Path("tests") / "data" / "agent_acts_frozen_test.yml"
# Issue 7's targets, both met: macro-F1 0.88 (0.907 measured) and pression recall 0.95 (0.966 measured).
MACRO_F1_TARGET, PRESSURE_RECALL_FLOOR = 0.88, 0.95
TINY = """version: "3.1"
nlu:
- intent: question_ouverte
  examples:
  - text: Qu'est-ce qui vous permettrait de régler ce solde ?
  - text: Comment se passe votre situation en ce moment ?
  - text: Racontez-moi ce qui a changé depuis l'été.
- intent: pression
  examples:
  - text: Si vous ne payez pas, vous irez en prison.
  - text: C'est irresponsable de ne pas payer ses dettes.
  - text: Dernier délai avant l'huissier, payez aujourd'hui.
- intent: autre
  examples:
  - text: Bonjour madame, je reprends votre dossier.
  - text: Un instant, je regarde.
  - text: Bonne journée à vous.
"""


@pytest.fixture(scope="module")
def classifier() -> ActClassifier:
    return load_classifier()


def test_training_refuses_an_unknown_act(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(TINY.replace("intent: autre", "intent: menace"), encoding="utf-8")
    with pytest.raises(ValueError, match="menace"):
        ActClassifier.train([bad])


def test_a_threat_is_pressure_even_when_the_model_says_otherwise(tmp_path: Path) -> None:
    tiny = tmp_path / "tiny.yml"
    tiny.write_text(TINY, encoding="utf-8")
    model = ActClassifier.train([tiny])
    polite_threat = "Bonjour madame, un huissier viendra saisir vos meubles si rien n'est réglé demain."
    prediction = model.predict(polite_threat)
    assert prediction.act == "pression" and prediction.compliance_reasons


def test_the_decision_rule_puts_pressure_first_only_when_asked() -> None:
    ranking = [("information", 0.55), ("pression", 0.30), ("empathie", 0.15)]
    assert decide(ranking, [], pressure_threshold=None) == ranking
    assert decide(ranking, [], pressure_threshold=0.31) == ranking
    promoted = decide(ranking, [], pressure_threshold=0.30)
    assert promoted == [("pression", 0.30), ("information", 0.55), ("empathie", 0.15)]
    flagged = decide(ranking, ["menace"], pressure_threshold=None, flag_min_pressure=0.05)
    assert flagged[0] == ("pression", 1.0) and {p for _, p in flagged[1:]} == {0.0}
    assert decide(ranking, ["menace"], pressure_threshold=None, flag_min_pressure=0.35) == ranking


def test_the_training_files_hold_no_sentence_twice() -> None:
    texts = [e.text.strip().lower() for p in Path("bot/assist/training").glob("*.yml") for e in load_examples(p)]
    assert len(texts) == len(set(texts)), sorted({t for t in texts if texts.count(t) > 1})


def test_the_cached_classifier_is_reused(tmp_path: Path) -> None:
    cache = tmp_path / "acts.joblib"
    first = load_classifier(cache)
    assert cache.is_file()
    assert load_classifier(cache).fingerprint == first.fingerprint


def test_the_training_data_covers_every_act_with_80_examples() -> None:
    examples = [e for path in sorted(Path("bot/assist/training").glob("*.yml")) for e in load_examples(path)]
    counts = {act: sum(e.intent == act for e in examples) for act in AGENT_ACTS}
    assert min(counts.values()) >= 80, counts


def test_frozen_act_set_scores(classifier: ActClassifier) -> None:
    examples = load_examples(FROZEN)
    assert len(examples) >= 300 and {e.intent for e in examples} == set(AGENT_ACTS)
    training = {e.text.strip().lower() for p in Path("bot/assist/training").glob("*.yml") for e in load_examples(p)}
    assert not [e.text for e in examples if e.text.strip().lower() in training]
    report = evaluate_acts(examples, classifier)
    assert report.macro_f1 >= MACRO_F1_TARGET, report.as_dict()["acts"]
    assert report.per_act["pression"].recall >= PRESSURE_RECALL_FLOOR, report.as_dict()["acts"]["per_label"]


def test_eval_acts_command_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "acts", str(FROZEN), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["acts"]["per_label"]) == set(AGENT_ACTS)
    assert {"precision", "recall", "f1"} <= set(report["acts"]["per_label"]["pression"])
    assert 0 <= report["acts"]["macro_f1"] <= 1


def test_a_corrupt_cache_is_retrained_and_replaced_atomically(tmp_path: Path) -> None:
    cache = tmp_path / "agent_acts.joblib"
    cache.write_bytes(b"not a model")
    classifier = load_classifier(cache)
    assert classifier.predict("Si vous ne payez pas, l'huissier viendra chez vous.").act == "pression"
    assert load_classifier(cache).fingerprint == classifier.fingerprint
    assert [path.name for path in tmp_path.iterdir()] == ["agent_acts.joblib"]
