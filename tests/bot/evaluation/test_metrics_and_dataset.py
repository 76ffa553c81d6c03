from pathlib import Path

import pytest

from bot.evaluation.dataset import DatasetError, load_examples, parse_annotated
from bot.evaluation.metrics import macro_f1, per_label
from bot.evaluation.nlu import score


def test_parse_annotated_keeps_span_and_value() -> None:
    text, entities = parse_annotated('je paie [deux cents euros]{"entity": "montant", "value": "200.00"} le [5](date)')
    assert text == "je paie deux cents euros le 5"
    assert [(e.entity, e.text, e.value) for e in entities] == [
        ("montant", "deux cents euros", "200.00"),
        ("date", "5", "5"),
    ]


def test_per_label_and_macro_f1() -> None:
    table = per_label(["a", "a", "b", "b"], ["a", "b", "b", "b"], ["a", "b"])
    assert table["a"].precision == 1.0 and table["a"].recall == 0.5
    assert table["b"].precision == pytest.approx(2 / 3) and table["b"].recall == 1.0
    assert macro_f1(table) == pytest.approx((2 / 3 + 0.8) / 2)


def test_score_counts_an_entity_only_when_text_type_and_value_match(tmp_path: Path) -> None:
    path = tmp_path / "eval.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n- intent: proposer_paiement\n  examples:\n'
        '  - text: |\n      je paie [50 €]{"entity": "montant", "value": "50.00"} le [5]{"entity": "date", '
        '"value": "2026-12-05"}\n    metadata:\n      emotion: neutre\n',
        encoding="utf-8",
    )
    examples = load_examples(path)

    def parse(text: str) -> dict:
        return {
            "intent": {"name": "proposer_paiement"},
            "emotion": {"name": "anxiete"},
            "entities": [
                {"entity": "montant", "start": 8, "end": 12, "value": "50.00"},
                {"entity": "date", "start": 16, "end": 17, "value": "2026-11-05"},
            ],
        }

    report = score(examples, parse)
    assert report.intent_macro_f1 == 1.0
    assert report.emotion_macro_f1 == 0.0
    assert report.entity.precision == 0.5 and report.entity.recall == 0.5
    assert report.errors[0]["missing_entities"] == [["date", "5", "2026-12-05"]]


def test_bad_files_get_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text("nlu: [", encoding="utf-8")
    with pytest.raises(DatasetError, match="YAML invalide"):
        load_examples(path)
    path.write_text("foo: 1", encoding="utf-8")
    with pytest.raises(DatasetError, match="nlu"):
        load_examples(path)
