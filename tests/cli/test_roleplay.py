"""`amiable roleplay list` and `amiable roleplay play SCENARIO [--seed N]` (stdin scripted)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.roleplay import get_scenario
from bot.roleplay.lines import spoken_euros
from bot.roleplay.scenario import SCENARIO_DIR

GOOD_OUBLI = [
    "Bonjour Monsieur Garnier, je vous appelle de la part de la Société des Eaux de l'Orsène au sujet d'une facture "
    "de 74,90 € restée impayée.",
    "Qu'est-ce qui s'est passé avec cette facture, d'après vous ?",
    "Je vous propose de régler les 74,90 € en une fois sur votre espace client.",
    "Merci, bonne journée !",  # never read: the conversation is over
]


def play(monkeypatch: pytest.MonkeyPatch, lines: list[str], *argv: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    return main(["roleplay", "play", *argv])


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["roleplay", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("colere_frais", "parent_licencie", "retraitee_honteuse", "arnaque", "deuil", "oubli"):
        scenario = get_scenario(name)
        assert f"{name} — {scenario.title}" in out
        assert f"personnage : {scenario.persona.name}, {scenario.persona.age} ans" in out
        assert f"situation : {scenario.persona.situation}" in out
        assert spoken_euros(scenario.hidden_facts.monthly_income) not in out  # hidden facts stay hidden
    assert "réussite : passage de relais bienveillant" in out
    assert out.count("réussite : accord de paiement") == 5


def test_play_to_an_agreement(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert play(monkeypatch, GOOD_OUBLI, "oubli", "--seed", "1") == 0
    out = capsys.readouterr().out
    assert "Jeu de rôle — Le client coopératif qui a simplement oublié (oubli)" in out
    assert out.count("Thomas Garnier : ") == 4  # the opening and three replies
    assert "carte bancaire a expiré" in out or "ma carte a expiré" in out
    assert "Merci, bonne journée !" not in out
    assert "Issue : accord de paiement : 74,90\xa0€ en une fois (objectif atteint)." in out


def test_play_until_the_trainee_stops(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert play(monkeypatch, ["Bonjour Monsieur Delorme.", "", "/fin", "Encore ?"], "colere_frais") == 0
    out = capsys.readouterr().out
    assert out.count("Marc Delorme : ") == 2
    assert "Encore ?" not in out
    assert "Issue : conversation arrêtée sans issue (objectif non atteint)." in out


def test_play_ends_at_the_end_of_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert play(monkeypatch, [], "deuil") == 0
    assert "Issue : conversation arrêtée sans issue" in capsys.readouterr().out


def test_play_a_hang_up(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    threats = ["Si vous ne payez pas, un huissier viendra saisir vos meubles demain."] * 3
    assert play(monkeypatch, threats, "parent_licencie") == 0
    out = capsys.readouterr().out
    assert "Issue : le débiteur a raccroché (objectif non atteint)." in out
    assert "— note 1 / 5" in out and "huissier" in out.split("— note 1 / 5", 1)[1]  # the scorecard quotes the threat


def test_play_writes_the_scorecard_as_html_and_png(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert play(monkeypatch, GOOD_OUBLI, "oubli", "--html", str(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "Jeu de rôle « oubli-0 » — note " in out
    pages = sorted(path.name for path in tmp_path.iterdir())
    assert pages == ["oubli-0.html", "oubli-0.png"], pages
    assert "Fiche d'évaluation : " in out


def test_play_is_the_same_for_the_same_seed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = []
    for _ in range(2):
        play(monkeypatch, GOOD_OUBLI[:2], "oubli", "--seed", "4")
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]


def test_play_a_scenario_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = yaml.safe_load((SCENARIO_DIR / "oubli.yml").read_text(encoding="utf-8"))
    data["persona"]["name"] = "Théo Garnier"
    path = tmp_path / "oubli.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert play(monkeypatch, ["/fin"], str(path)) == 0
    assert "Théo Garnier : " in capsys.readouterr().out


def test_unknown_or_broken_scenario(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert play(monkeypatch, [], "inconnu") == 2
    assert "scénario inconnu : « inconnu »" in capsys.readouterr().err
    broken = tmp_path / "broken.yml"
    broken.write_text("id: broken\npersona: {age: 9}\n", encoding="utf-8")
    assert play(monkeypatch, [], str(broken)) == 2
    assert "persona.age: doit être un entier entre 18 et 110" in capsys.readouterr().err
