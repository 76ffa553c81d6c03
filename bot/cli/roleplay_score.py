"""`amiable roleplay score FILE [--json] [--html DIR]`: the scorecard of existing role-play transcripts.

FILE is a YAML list of `{id, turns: [{speaker: agent|debtor, text}]}`. `add_score_command(subparsers)` adds the
command to the `amiable roleplay` group; `print_scorecard(scorecard)` writes one scorecard for a person (French).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from bot.roleplay.scorecard import Scorecard


def add_score_command(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    score = subparsers.add_parser(
        "score",
        help="note des transcriptions existantes (grille MITI 4.2.1, pressions, information, issue)",
        description=(
            "Note chaque transcription d'un fichier YAML (liste de {id, turns: [{speaker: agent|debtor, text}]}) : "
            "codes MITI de chaque énoncé du stagiaire, reflets/questions, reflets complexes, questions ouvertes, "
            "empathie, pressions citées, exactitude de l'information, issue, note globale de 1 à 5 et ses raisons."
        ),
    )
    score.add_argument("file", type=Path, metavar="FICHIER", help="transcriptions (YAML)")
    score.add_argument("--json", action="store_true", help="JSON : une liste de {id, score, …détails}")
    score.add_argument(
        "--html", type=Path, metavar="DOSSIER", help="écrit une page HTML et une image PNG par transcription"
    )
    score.add_argument(
        "--scenario",
        metavar="SCÉNARIO",
        help="vérifie montants, règles du créancier et capacité cachée avec ce scénario (nom ou fichier YAML)",
    )
    score.add_argument("--detail", action="store_true", help="affiche aussi la transcription annotée")
    score.add_argument(
        "--grades",
        type=Path,
        metavar="NOTES",
        help="notes données à la main ({id: {grade: 1..5}}) : affiche la corrélation de Spearman avec les scores",
    )
    score.set_defaults(handler=_score)
    return score


def _number(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.0f} %" if percent else f"{value:.2f}".replace(".", ",")


def _grade(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def print_scorecard(scorecard: Scorecard, detail: bool = False, file: TextIO | None = None) -> None:
    """The scorecard as terminal text (French); `detail` adds the annotated transcript."""
    from bot.roleplay.coding import CODE_LABELS

    out = file if file is not None else sys.stdout
    m = scorecard.measures

    def say(line: str = "") -> None:
        print(line, file=out)

    say(f"Jeu de rôle « {scorecard.id} » — note {_grade(scorecard.score)} / 5")
    for cap in scorecard.caps:
        say(f"  Plafond : {cap}")
    say(
        f"  MITI : reflets/questions {_number(m.r_q)} (repère ≥ 1) ; reflets complexes "
        f"{_number(m.complex_share, True)} (≥ 40 %) ; questions ouvertes {_number(m.open_share, True)} (≥ 50 %) ; "
        f"empathie {m.empathy}"
    )
    if scorecard.pressure:
        say(f"  Pressions ({len(scorecard.pressure)}) :")
        for incident in scorecard.pressure:
            say(f"    - tour {incident.turn + 1} : « {incident.text} » ({incident.reason})")
    else:
        say("  Pressions : aucune")
    say("  Raisons :")
    for reason in scorecard.reasons:
        say(f"    - {reason}")
    if detail:
        say("  Transcription annotée :")
        for turn in scorecard.turns:
            if turn.speaker != "agent":
                say(f"    Débiteur : {turn.text}")
                continue
            say("    Stagiaire :")
            for utterance in turn.utterances:
                note = f" — {utterance.note}" if utterance.note else ""
                say(f"      [{CODE_LABELS[utterance.code]}] {utterance.text}{note}")


def _file_name(identifier: str) -> str:
    return re.sub(r"[^\w.-]+", "_", identifier).strip("._") or "transcription"


def write_reports(cards: list[Scorecard], folder: Path) -> list[Path]:
    from bot.roleplay.report import scorecard_html, scorecard_png_bytes

    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for card in cards:
        name = _file_name(card.id)
        png = scorecard_png_bytes(card)
        (folder / f"{name}.png").write_bytes(png)
        page = folder / f"{name}.html"
        page.write_text(scorecard_html(card, png), encoding="utf-8")
        written.append(page)
    return written


def _score(arguments: argparse.Namespace) -> int:
    from bot.roleplay.scenario import ScenarioError, get_scenario
    from bot.roleplay.transcript import TranscriptError, load_transcripts

    try:
        transcripts = load_transcripts(arguments.file)
    except TranscriptError as error:
        print(f"Transcriptions illisibles : {error}", file=sys.stderr)
        return 2
    if not transcripts:
        print(f"Transcriptions illisibles : {arguments.file}: aucune transcription dans le fichier", file=sys.stderr)
        return 2
    scenario = None
    if arguments.scenario:
        try:
            scenario = get_scenario(arguments.scenario)
        except ScenarioError as error:
            print(f"Scénario illisible : {error}", file=sys.stderr)
            return 2
    from bot.assist import load_classifier
    from bot.roleplay.scorecard import score_transcript

    classifier = load_classifier()
    cards = [score_transcript(transcript, classifier, scenario) for transcript in transcripts]
    if arguments.json:
        payload: list[dict[str, Any]] = [card.as_dict() for card in cards]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for number, card in enumerate(cards):
            if number:
                print()
            print_scorecard(card, detail=arguments.detail)
    if arguments.html is not None:
        pages = write_reports(cards, arguments.html)
        print(f"{len(pages)} page(s) HTML écrite(s) dans {arguments.html}", file=sys.stderr)
    if arguments.grades is not None:
        return _compare_with_grades(cards, arguments.grades)
    return 0


def _compare_with_grades(cards: list[Scorecard], path: Path) -> int:
    """Prints (on stderr, so that --json stays parseable) the hand grade and the score of each transcript and the
    Spearman correlation between them."""
    import yaml
    from scipy.stats import spearmanr

    try:
        grades = yaml.safe_load(path.read_text(encoding="utf-8"))
        given = {str(key): float(value["grade"]) for key, value in grades.items()}
    except (OSError, yaml.YAMLError, AttributeError, KeyError, TypeError, ValueError) as error:
        print(f"Notes illisibles : {path}: {error}", file=sys.stderr)
        return 2
    missing = [card.id for card in cards if card.id not in given]
    if missing:
        print(f"Notes illisibles : {path}: pas de note pour {', '.join(missing)}", file=sys.stderr)
        return 2
    for card in cards:
        print(f"  {card.id} : note {_grade(given[card.id])}, score {_grade(card.score)}", file=sys.stderr)
    rho = spearmanr([given[card.id] for card in cards], [card.score for card in cards]).statistic
    print(f"Spearman (notes à la main / scores) : {rho:.3f} sur {len(cards)} transcriptions", file=sys.stderr)
    return 0
