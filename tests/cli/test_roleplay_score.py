"""`amiable roleplay score FILE [--json] [--html DIR]` through the parser `add_score_command` builds."""

from __future__ import annotations

import argparse
import io
import json
import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.roleplay_score import add_score_command, print_scorecard
from bot.roleplay.scorecard import score_transcript
from bot.roleplay.transcript import Transcript, Turn
from tests.bot.roleplay.test_scorecard import GOOD, LISTENING_RULES, KeywordClassifier, transcript

TRANSCRIPTS = """
- id: bon
  turns:
    - {speaker: agent, text: "Bonjour Madame, comment allez-vous ?"}
    - {speaker: debtor, text: "J'ai perdu mon emploi, je ne sais plus comment faire."}
    - {speaker: agent, text: "Si je comprends bien, vous avez perdu votre emploi et cela vous pèse."}
- id: menace
  turns:
    - {speaker: agent, text: "Si vous ne payez pas, l'huissier viendra saisir vos meubles."}
    - {speaker: debtor, text: "Vous me menacez ?"}
"""


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="amiable")
    commands = parser.add_subparsers(dest="command", required=True)
    roleplay = commands.add_parser("roleplay")
    add_score_command(roleplay.add_subparsers(dest="roleplay_command", required=True))
    arguments = parser.parse_args(["roleplay", "score", *argv])
    return int(arguments.handler(arguments))


@pytest.fixture
def fake_classifier(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    loads: list[int] = []

    def load_classifier() -> KeywordClassifier:
        loads.append(1)
        return KeywordClassifier(LISTENING_RULES)

    monkeypatch.setattr("bot.assist.load_classifier", load_classifier)
    return loads


@pytest.fixture
def transcripts_file(tmp_path: Path) -> Path:
    path = tmp_path / "transcriptions.yml"
    path.write_text(TRANSCRIPTS, encoding="utf-8")
    return path


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_classifier: list[int]) -> None:
    assert run(str(tmp_path / "absent.yml")) == 2
    err = capsys.readouterr().err
    assert "Transcriptions illisibles" in err and "fichier introuvable" in err
    assert not fake_classifier  # nothing loaded for a file that cannot be read


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("- id: a\n  turns: [{speaker: agent, text: 'x'\n", "YAML invalide"),
        ("id: a\n", "liste de transcriptions"),
        ("- id: a\n  turns:\n    - {speaker: client, text: bonjour}\n", "speaker"),
        ("[]\n", "aucune transcription"),
    ],
)
def test_malformed_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_classifier: list[int], content: str, expected: str
) -> None:
    path = tmp_path / "mauvais.yml"
    path.write_text(content, encoding="utf-8")
    assert run(str(path)) == 2
    assert expected in capsys.readouterr().err


def test_unknown_scenario(
    transcripts_file: Path, capsys: pytest.CaptureFixture[str], fake_classifier: list[int]
) -> None:
    assert run(str(transcripts_file), "--scenario", "inexistant") == 2
    assert "scénario inconnu" in capsys.readouterr().err


def test_json_is_a_list_of_id_and_score(
    transcripts_file: Path, capsys: pytest.CaptureFixture[str], fake_classifier: list[int]
) -> None:
    assert run(str(transcripts_file), "--json") == 0
    items = json.loads(capsys.readouterr().out)
    assert [item["id"] for item in items] == ["bon", "menace"]
    scores = {item["id"]: item["score"] for item in items}
    assert scores["menace"] == 1.0 and scores["bon"] > 2.0
    assert all({"miti", "pressure_incidents", "reasons", "turns"} <= set(item) for item in items)
    assert items[1]["pressure_incidents"][0]["threat"] is True
    assert fake_classifier == [1]  # one classifier for the whole file


def test_text_and_html(
    transcripts_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_classifier: list[int]
) -> None:
    folder = tmp_path / "pages"
    assert run(str(transcripts_file), "--html", str(folder), "--detail") == 0
    captured = capsys.readouterr()
    assert "Jeu de rôle « bon » — note" in captured.out and "Jeu de rôle « menace » — note 1 / 5" in captured.out
    assert "[reflet complexe] Si je comprends bien" in captured.out
    assert "2 page(s) HTML écrite(s)" in captured.err
    assert sorted(path.name for path in folder.iterdir()) == ["bon.html", "bon.png", "menace.html", "menace.png"]
    assert '<html lang="fr">' in (folder / "menace.html").read_text(encoding="utf-8")


def test_print_scorecard_in_french() -> None:
    card = score_transcript(transcript(*GOOD), KeywordClassifier(LISTENING_RULES))
    out = io.StringIO()
    print_scorecard(card, file=out)
    text = out.getvalue()
    assert text.startswith("Jeu de rôle « t » — note ")
    assert "Pressions : aucune" in text and "reflets/questions" in text and "Raisons :" in text
    assert "Transcription annotée" not in text
    threat = score_transcript(
        Transcript("x", [Turn("agent", "Sinon, l'huissier passera chez vous.")]), KeywordClassifier({})
    )
    out = io.StringIO()
    print_scorecard(threat, detail=True, file=out)
    assert "Plafond : menace claire" in out.getvalue() and "Pressions (1)" in out.getvalue()
    assert "[pression] Sinon, l'huissier passera chez vous." in out.getvalue()


def test_grades_give_the_spearman_correlation(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = Path("tests/data/roleplay")
    assert main(["roleplay", "score", str(data / "transcripts.yml"), "--grades", str(data / "grades.yml")]) == 0
    err = capsys.readouterr().err
    found = re.search(r"Spearman \(notes à la main / scores\) : (-?\d\.\d{3}) sur 16 transcriptions", err)
    assert found and float(found.group(1)) >= 0.8, err
    broken = tmp_path / "notes.yml"
    broken.write_text("rp01: {grade: 3}\n", encoding="utf-8")
    assert main(["roleplay", "score", str(data / "transcripts.yml"), "--grades", str(broken)]) == 2
    assert "pas de note pour rp02" in capsys.readouterr().err
