"""`amiable payments import FICHIER.csv [--today AAAA-MM-JJ] [--all]`: payments, then the follow-up of promises."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from sqlalchemy.exc import IntegrityError, OperationalError

from bot.cases import CaseStore
from bot.cases.payments import GRACE_DAYS, FollowUpReport, PaymentImportReport, import_payments
from bot.text import format_date

PROGRESS_FROM = 1000  # rows (or cases) from which the progress is printed
STEPS_FR = {"validation": "Validation", "suivi": "Suivi des accords"}


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("payments", help="paiements reçus : import et suivi des accords")
    actions = parser.add_subparsers(dest="payments_command", metavar="ACTION", required=True)
    importer = actions.add_parser(
        "import",
        help="importe des paiements depuis un CSV (tout ou rien) et met à jour les échéanciers",
        description=(
            "Colonnes : reference;montant;date;moyen (séparateur , ou ;). Montants « 120,50 », dates JJ/MM/AAAA"
            " ou AAAA-MM-JJ, moyen : virement, carte, prelevement ou cheque. Un fichier importé deux fois"
            f" n'enregistre rien en double. Une échéance est honorée si elle est couverte {GRACE_DAYS} jours"
            " après sa date au plus tard ; sinon l'accord est rompu."
        ),
    )
    importer.add_argument("file", type=Path, help="fichier CSV (UTF-8)")
    importer.add_argument("--today", metavar="AAAA-MM-JJ", help="date du suivi (défaut : aujourd'hui)")
    importer.add_argument(
        "--all",
        action="store_true",
        help="suit aussi les accords des dossiers absents du fichier (échéances manquées sans aucun paiement)",
    )
    importer.set_defaults(handler=_import)


def _progress(step: str, done: int, total: int) -> None:
    if total >= PROGRESS_FROM:
        print(f"  {STEPS_FR.get(step, step)} : {done:,} / {total:,}".replace(",", "\u202f"), file=sys.stderr)


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count <= 1 else plural}"


def render_report(report: PaymentImportReport, today: date) -> str:
    lines = [
        f"Import réussi : {_plural(report.rows_read, 'ligne lue', 'lignes lues')}, "
        f"{_plural(report.recorded, 'paiement enregistré', 'paiements enregistrés')}, "
        f"{_plural(report.already_known, 'déjà connu', 'déjà connus')}."
    ]
    follow: FollowUpReport | None = report.follow_up
    if follow is None:
        return "\n".join(lines)
    lines += [
        f"Suivi des accords au {format_date(today)} : "
        f"{_plural(follow.cases_examined, 'dossier examiné', 'dossiers examinés')}, "
        f"{_plural(follow.lines_kept, 'échéance honorée', 'échéances honorées')}, "
        f"{_plural(follow.lines_missed, 'échéance manquée', 'échéances manquées')}.",
        f"Accords rompus : {len(follow.broken)} · accords tenus : {len(follow.kept)}"
        f" · dossiers soldés : {len(follow.settled)}.",
    ]
    lines += [f"  Rompu — {promise}" for promise in follow.broken]
    lines += [
        f"  Tenu — {reference}" + (" (dossier soldé)" if reference in follow.settled else "")
        for reference in follow.kept
    ]
    lines += [f"  Soldé — {reference}" for reference in follow.settled if reference not in follow.kept]
    return "\n".join(lines)


def _import(arguments: argparse.Namespace) -> int:
    path: Path = arguments.file
    if not path.is_file():
        print(f"Fichier introuvable : {path}", file=sys.stderr)
        return 2
    try:
        today = date.fromisoformat(arguments.today.strip()) if arguments.today else date.today()
    except ValueError:
        print(f"Date invalide « {arguments.today} » : format attendu AAAA-MM-JJ.", file=sys.stderr)
        return 2
    store = CaseStore()
    try:
        with store.session() as session:
            report = import_payments(session, path, today=today, progress=_progress, follow_all=arguments.all)
            if not report.ok:
                session.rollback()
    except OperationalError as error:
        print(
            f"Base des dossiers inaccessible ({store.url}) : {error.orig}. Lancez d'abord : amiable cases migrate",
            file=sys.stderr,
        )
        return 1
    except IntegrityError:
        print(
            "Import interrompu : un autre import a enregistré les mêmes paiements au même moment ; rien n'a été"
            " enregistré par celui-ci, relancez-le.",
            file=sys.stderr,
        )
        return 1
    if not report.ok:
        print(
            f"Import refusé : {_plural(len(report.errors), 'erreur', 'erreurs')}, aucun paiement n'a été enregistré.",
            file=sys.stderr,
        )
        for error in report.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    print(render_report(report, today))
    return 0
