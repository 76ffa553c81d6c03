"""`amiable reflect TEXT [--json]` and `amiable reflect --file FILE [--json]`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.nlu.emotion import EMOTIONS

MODEL = Path("models") / "amiable.tar.gz"
FIELDS = {"text", "reformulation", "kind", "empathy", "open_question", "emotion"}


def run(*argv: str) -> int:
    """Through the real `amiable` entry point."""
    return main(["reflect", *argv])


@pytest.fixture
def fake_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[str]]:
    """A model file, and a parser that records each load (no Rasa needed)."""
    loads: list[str] = []
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"not a real model")

    def load_parser(path: Path, today: Any) -> Any:
        loads.append(str(path))

        def parse(text: str) -> dict[str, Any]:
            emotion = "colere" if "!" in text else "neutre"
            return {"text": text, "intent": {"name": "se_plaindre"}, "entities": [], "emotion": {"name": emotion}}

        return parse

    monkeypatch.setattr("bot.evaluation.nlu.load_parser", load_parser)
    return str(model), loads


def test_missing_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("je peux pas payer", "--model", str(tmp_path / "absent.tar.gz")) == 2
    assert "Aucun modèle entraîné : lancez `amiable train`." in capsys.readouterr().err


def test_missing_or_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--file", str(tmp_path / "absent.txt")) == 2
    assert "Fichier introuvable" in capsys.readouterr().err
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n", encoding="utf-8")
    assert run("--file", str(empty)) == 2
    assert "ne contient aucun message" in capsys.readouterr().err


def test_text_or_file_not_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run() == 2
    assert run("un message", "--file", str(tmp_path / "x.txt")) == 2
    assert "soit un TEXTE, soit --file" in capsys.readouterr().err


def test_text_in_french_for_a_person(fake_model: tuple[str, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    model, _ = fake_model
    assert run("Vous me harcelez !", "--model", model) == 0
    out = capsys.readouterr().out
    assert "« Vous me harcelez ! »" in out and "émotion : colere" in out
    assert "reformulation (complexe) : " in out and "nous vous sollicitons trop souvent" in out
    assert "question ouverte : " in out


def test_file_loads_the_model_once(
    tmp_path: Path, fake_model: tuple[str, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    model, loads = fake_model
    messages = tmp_path / "messages.txt"
    messages.write_text("J'ai perdu mon boulot.\n\njpeux pa payer\nVous me harcelez !\n", encoding="utf-8")
    assert run("--file", str(messages), "--json", "--model", model) == 0
    replies = json.loads(capsys.readouterr().out)
    assert [r["text"] for r in replies] == ["J'ai perdu mon boulot.", "jpeux pa payer", "Vous me harcelez !"]
    assert loads == [model]
    assert all(set(r) == FIELDS for r in replies)
    assert "vous avez perdu votre emploi" in replies[0]["reformulation"]


@pytest.mark.skipif(not MODEL.is_file(), reason="needs the trained model (amiable train)")
def test_with_the_trained_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    messages = tmp_path / "messages.txt"
    messages.write_text(
        "J'ai perdu mon boulot en septembre et je n'arrive plus à payer\n"
        "Arrêtez de m'appeler tous les jours, c'est insupportable !\n"
        "je peux mettre 50 euros par mois\n",
        encoding="utf-8",
    )
    assert run("--file", str(messages), "--json", "--today", "2026-11-22") == 0
    replies = json.loads(capsys.readouterr().out)
    assert len(replies) == 3 and all(set(r) == FIELDS for r in replies)
    assert all(r["emotion"] in EMOTIONS for r in replies)
    assert "vous avez perdu votre emploi en septembre" in replies[0]["reformulation"]
    assert "nous vous sollicitons trop souvent" in replies[1]["reformulation"]
    assert "vous pouvez mettre 50 euros par mois" in replies[2]["reformulation"]
    for reply in replies:
        assert (reply["empathy"] is None) == (reply["emotion"] == "neutre")
        assert reply["kind"] == ("simple" if reply["emotion"] == "neutre" else "complexe")
