"""Transcripts files: YAML lists of {id, turns: [{speaker, text}]}, with clear French errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.roleplay import Transcript, TranscriptError, Turn, load_transcripts

GOOD = """\
- id: t1
  scenario: oubli
  grade: 4
  turns:
    - speaker: debtor
      text: Allô ?
    - speaker: agent
      text: "  Bonjour monsieur.  "
- id: 2
  turns:
    - {speaker: agent, text: Bonjour.}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "transcripts.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_transcripts(tmp_path: Path) -> None:
    first, second = load_transcripts(write(tmp_path, GOOD))
    turns = [Turn("debtor", "Allô ?"), Turn("agent", "Bonjour monsieur.")]
    assert first == Transcript("t1", turns, "oubli", {"grade": 4})
    assert second.id == "2" and second.scenario is None and second.meta == {}
    assert first.as_dict() == {
        "id": "t1",
        "scenario": "oubli",
        "grade": 4,
        "turns": [{"speaker": "debtor", "text": "Allô ?"}, {"speaker": "agent", "text": "Bonjour monsieur."}],
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: t1\n", "le fichier doit contenir une liste"),
        ("- turns: [{speaker: agent, text: Bonjour}]\n", "élément 1: id: identifiant obligatoire"),
        ("- id: a\n  turns: []\n", "élément 1 (id « a »): turns: liste de tours obligatoire"),
        (
            "- id: a\n  turns: [{speaker: agent, text: Oui}]\n- id: a\n  turns: [{speaker: agent, text: Non}]\n",
            "élément 2 (id « a »): id: identifiant en double",
        ),
        (
            "- id: a\n  turns:\n    - {speaker: agent, text: Oui}\n    - {speaker: client, text: Non}\n",
            "élément 1 (id « a »): tour 2: speaker: doit valoir « agent » ou « debtor » (« client »)",
        ),
        ("- id: a\n  turns: [{speaker: agent}]\n", "élément 1 (id « a »): tour 1: text: texte obligatoire"),
        ("- id: a\n  turns: [agent]\n", "tour 1: doit être un dictionnaire"),
        ("- id: a\n  scenario: [x]\n  turns: [{speaker: agent, text: Oui}]\n", "scenario: doit être l'identifiant"),
        ("- id: [unclosed\n", "YAML invalide (ligne"),
    ],
)
def test_errors_name_the_file_the_item_and_the_field(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(TranscriptError) as raised:
        load_transcripts(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert expected in str(raised.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TranscriptError, match="fichier introuvable"):
        load_transcripts(tmp_path / "absent.yml")


def test_turn_speakers() -> None:
    with pytest.raises(ValueError, match="locuteur inconnu"):
        Turn("client", "Bonjour")
    assert Transcript.from_dicts("x", [{"speaker": "agent", "text": "Oui"}]).turns == [Turn("agent", "Oui")]
