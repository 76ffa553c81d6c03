"""`amiable tasks …`: the callback tasks (hand-overs) the bot created, for the team the next morning."""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from datetime import datetime

from bot.cases import CaseStore
from bot.cases.models import TaskStatus
from bot.cases.store import CALLBACK_REASONS_FR, CallbackTaskView, UnknownTask

REASONS_FR = {
    **CALLBACK_REASONS_FR,
    "budget": "point sur le budget",
    "incomprehension": "incompréhension répétée",
    "identification": "identification impossible",
}
STATUS_FR = {TaskStatus.A_FAIRE: "à faire", TaskStatus.FAIT: "fait"}
NOT_IDENTIFIED = "non identifié"
SUMMARY_WIDTH = 60
# Debtor words may be quoted in a summary: no control character (terminal escape sequences) reaches the terminal.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
HEADERS = ("N°", "Rappel prévu", "Motif", "Dossier", "Statut", "Résumé")


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("tasks", help="rappels à faire (passages de relais du bot à un conseiller)")
    actions = parser.add_subparsers(dest="tasks_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="liste les rappels à faire (les plus urgents d'abord)")
    listing.add_argument("--all", action="store_true", help="inclut les rappels déjà faits")
    listing.add_argument("--json", action="store_true", help="sortie JSON (résumé complet)")
    listing.set_defaults(handler=_list)
    done = actions.add_parser("done", help="marque un rappel comme fait")
    done.add_argument("id", type=_task_id, metavar="ID", help="numéro du rappel (colonne N° de la liste)")
    done.set_defaults(handler=_done)


def _task_id(value: str) -> int:
    if not value.strip().isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"numéro de rappel invalide « {value} » : un entier positif est attendu")
    return int(value)


def _store() -> CaseStore:
    return CaseStore()


def reason_fr(reason: str) -> str:
    return REASONS_FR.get(reason, reason.replace("_", " "))


def plain(text: str) -> str:
    """One line of plain text: control characters become spaces, runs of spaces one space."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())


def summary_lines(text: str, width: int = SUMMARY_WIDTH) -> list[str]:
    """The whole summary, wrapped to the column's width (words longer than a line are cut)."""
    return textwrap.wrap(plain(text), width=width, break_long_words=True) or [""]


def status_fr(task: CallbackTaskView, now: datetime) -> str:
    if task.status is TaskStatus.A_FAIRE and task.due_at < now:
        return "à faire (en retard)"
    return STATUS_FR[task.status]


def task_rows(task: CallbackTaskView, now: datetime) -> list[tuple[str, ...]]:
    """The task's row, then one continuation row per further line of its summary."""
    first, *more = summary_lines(task.summary)
    row = (
        str(task.id),
        f"{task.due_at:%d/%m/%Y} {task.due_at.hour} h {task.due_at.minute:02d}",
        reason_fr(task.reason),
        task.reference or NOT_IDENTIFIED,
        status_fr(task, now),
        first,
    )
    return [row, *(("",) * (len(HEADERS) - 1) + (line,) for line in more)]


def render_table(tasks: list[CallbackTaskView], now: datetime) -> str:
    rows = [HEADERS, *(row for task in tasks for row in task_rows(task, now))]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADERS) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


def task_json(task: CallbackTaskView) -> dict[str, object]:
    return {
        "id": task.id,
        "due_at": task.due_at.isoformat(timespec="minutes"),
        "reason": task.reason,
        "reason_label": reason_fr(task.reason),
        "reference": task.reference,
        "summary": task.summary,
        "status": task.status.value,
        "created_at": task.created_at.isoformat(timespec="seconds"),
    }


def _list(arguments: argparse.Namespace) -> int:
    tasks = _store().callback_tasks(include_done=arguments.all)
    if arguments.json:
        print(json.dumps([task_json(task) for task in tasks], ensure_ascii=False, indent=2))
        return 0
    if not tasks:
        print("Aucun rappel enregistré." if arguments.all else "Aucun rappel à faire.")
        return 0
    print(render_table(tasks, datetime.now()))
    to_do = sum(task.status is TaskStatus.A_FAIRE for task in tasks)
    print(f"\n{to_do} rappel{'s' if to_do > 1 else ''} à faire" + (f" sur {len(tasks)}." if arguments.all else "."))
    return 0


def _done(arguments: argparse.Namespace) -> int:
    try:
        task, changed = _store().mark_callback_done(arguments.id)
    except UnknownTask as error:
        print(str(error), file=sys.stderr)
        return 1
    who = task.reference or NOT_IDENTIFIED
    if changed:
        print(f"Rappel n° {task.id} ({reason_fr(task.reason)}, dossier {who}) marqué comme fait.")
    else:
        print(f"Le rappel n° {task.id} était déjà marqué comme fait.")
    return 0
