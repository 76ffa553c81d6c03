import json
from pathlib import Path

import pytest

from bot.cli import main

pytestmark = pytest.mark.e2e
FROZEN = Path("tests") / "data" / "nlu_frozen_test.yml"


def test_eval_nlu_json_and_plots(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "nlu", str(FROZEN), "--json", "--plots", str(tmp_path), "--today", "2026-11-22"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["examples"] >= 300
    assert {"macro_f1", "per_label"} <= set(report["intent"]) and {"macro_f1", "per_label"} <= set(report["emotion"])
    assert {"precision", "recall", "f1"} <= set(report["intent"]["per_label"]["saluer"])
    assert 0 <= report["entity"]["f1"] <= 1 and isinstance(report["errors"], list)
    assert (tmp_path / "intent_confusion.png").stat().st_size > 10_000
    assert (tmp_path / "emotion_confusion.png").stat().st_size > 10_000


def test_eval_nlu_refuses_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("nlu: [", encoding="utf-8")
    assert main(["eval", "nlu", str(bad)]) == 2
    assert "Données d'évaluation invalides" in capsys.readouterr().err


def test_train_refuses_a_missing_pipeline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--config", str(tmp_path / "absent.yml"), "--name", "x"]) == 2
    assert "Configuration introuvable" in capsys.readouterr().err
