"""`amiable roleplay list`, `amiable roleplay play SCENARIO [--seed N] [--html DIR]` (role-play in the terminal,
with the scorecard at the end) and `amiable roleplay score FILE` (scorecards of existing transcripts)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.cli.roleplay_score import add_score_command, write_reports
from bot.cli.roleplay_score import print_scorecard as print_card
from bot.text.french import format_euros

if TYPE_CHECKING:
    from bot.roleplay.scorecard import Scorecard

END_COMMAND = "/fin"
OUTCOME_LABELS = {
    "agreement": "accord de paiement",
    "handover": "passage de relais accepté",
    "refused": "propositions refusées",
    "hung_up": "le débiteur a raccroché",
}


def register(commands: argparse._SubParsersAction) -> None:
    roleplay = commands.add_parser(
        "roleplay",
        help="jeux de rôle de formation : l'assistant joue un débiteur, vous jouez le chargé de recouvrement",
        description=(
            "Jeux de rôle de formation : l'assistant joue un débiteur, le stagiaire joue le chargé de recouvrement."
        ),
    )
    actions = roleplay.add_subparsers(dest="roleplay_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="les scénarios disponibles")
    listing.set_defaults(handler=_list)
    play = actions.add_parser(
        "play",
        help="jouer un scénario dans le terminal",
        description=f"Écrivez vos répliques d'agent ; le débiteur répond. Tapez « {END_COMMAND} » pour terminer.",
    )
    play.add_argument("scenario", metavar="SCENARIO", help="identifiant d'un scénario livré, ou fichier YAML")
    play.add_argument("--seed", type=int, default=0, metavar="N", help="graine des variantes de répliques (défaut : 0)")
    play.add_argument(
        "--html", type=Path, metavar="DOSSIER", help="écrit aussi la fiche d'évaluation en HTML et en PNG dans DOSSIER"
    )
    play.set_defaults(handler=_play)
    add_score_command(actions)


def _list(arguments: argparse.Namespace) -> int:
    from bot.roleplay import ScenarioError, list_scenarios

    try:
        scenarios = list_scenarios()
    except ScenarioError as error:
        print(error, file=sys.stderr)
        return 2
    for number, scenario in enumerate(scenarios):
        if number:
            print()
        persona = scenario.persona
        print(f"{scenario.id} — {scenario.title}")
        print(f"  personnage : {persona.name}, {persona.age} ans")
        print(f"  situation : {persona.situation}")
        print(f"  réussite : {scenario.success_label}")
    return 0


def outcome_text(session: object) -> str:
    """The outcome of a session in French, e.g. "accord de paiement : 70,80 € par mois pendant 3 mois"."""
    from bot.roleplay import RolePlaySession

    assert isinstance(session, RolePlaySession)
    state = session.debtor.state
    if session.outcome is None:
        return "conversation arrêtée sans issue"
    label = OUTCOME_LABELS.get(session.outcome, session.outcome)
    agreement = state.agreement
    if session.outcome == "agreement" and agreement is not None:
        if agreement.lump_sum:
            label += f" : {format_euros(agreement.monthly)} en une fois"
        else:
            label += f" : {format_euros(agreement.monthly)} par mois pendant {agreement.months} mois"
    return label


def print_outcome(session: object, out: TextIO | None = None) -> None:
    """The outcome of the session and whether it is the scenario's success."""
    from bot.roleplay import RolePlaySession

    assert isinstance(session, RolePlaySession)
    out = out or sys.stdout
    verdict = "objectif atteint" if session.succeeded else "objectif non atteint"
    print(f"Issue : {outcome_text(session)} ({verdict}).", file=out)
    print(f"Objectif du scénario : {session.scenario.success_label}.", file=out)


def session_scorecard(session: object) -> Scorecard:
    """The scorecard of a played session, checked against its scenario (case, hidden capacity, outcome)."""
    from bot.roleplay import RolePlaySession
    from bot.roleplay.scorecard import score_transcript

    assert isinstance(session, RolePlaySession)
    classifier = session.debtor.classifier
    return score_transcript(session.as_transcript(), classifier, session.scenario, session.outcome)


def _play(arguments: argparse.Namespace) -> int:
    from bot.roleplay import RolePlayError, RolePlaySession, ScenarioError, get_scenario

    try:
        scenario = get_scenario(arguments.scenario)
    except ScenarioError as error:
        print(error, file=sys.stderr)
        return 2
    session = RolePlaySession(scenario, seed=arguments.seed)
    name = scenario.persona.name
    print(f"Jeu de rôle — {scenario.title} ({scenario.id})")
    print(scenario.briefing)
    print(f"Vous jouez le chargé de recouvrement. Tapez « {END_COMMAND} » pour terminer.")
    print()
    print(f"{name} : {session.start()}")
    while not session.finished:
        print("Vous > ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:  # end of input
            print()
            session.stop()
            break
        text = line.strip()
        if not sys.stdin.isatty():  # a scripted session: show what was read, as a terminal would
            print(text)
        if not text:
            continue
        if text.lower() == END_COMMAND:
            session.stop()
            break
        try:
            reply = session.agent_says(text)
        except RolePlayError as error:
            print(f"({error})")
            continue
        print(f"{name} : {reply.text}")
    print()
    print("— Fin de la conversation —")
    print_outcome(session)
    card = session_scorecard(session)
    print()
    print_card(card, detail=True)
    if arguments.html:
        for page in write_reports([card], arguments.html):
            print(f"Fiche d'évaluation : {page} (et l'image PNG à côté)")
    return 0
