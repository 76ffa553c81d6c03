"""`amiable cases …`: migrate, seed, import, show, list."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from sqlalchemy.exc import OperationalError

from bot.cases import CaseStore
from bot.cases.demo import load_demo_data, seed
from bot.cases.importer import import_cases
from bot.cases.render import render_case
from bot.text import format_euros


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("cases", help="base des dossiers : migration, démo, import, consultation")
    actions = parser.add_subparsers(dest="cases_command", metavar="ACTION", required=True)
    actions.add_parser("migrate", help="crée ou met à jour le schéma (Alembic)").set_defaults(handler=_migrate)
    actions.add_parser("seed", help="charge les dossiers de démonstration").set_defaults(handler=_seed)
    importer = actions.add_parser("import", help="importe des dossiers depuis un CSV (tout ou rien)")
    importer.add_argument("file", type=Path, help="fichier CSV (UTF-8, séparateur , ou ;)")
    importer.set_defaults(handler=_import)
    show = actions.add_parser("show", help="affiche un dossier")
    show.add_argument("reference", help="référence REC-AAAA-NNNNNN")
    show.add_argument(
        "--today", metavar="AAAA-MM-JJ", help="date de référence du profil et du suivi (défaut : aujourd'hui)"
    )
    show.set_defaults(handler=_show)
    actions.add_parser("list", help="liste les dossiers").set_defaults(handler=_list)


def _store() -> CaseStore:
    return CaseStore()


def _migrate(_: argparse.Namespace) -> int:
    store = _store()
    try:
        store.migrate()
    except OperationalError as error:
        print(f"Base de données injoignable ({store.url}) : {error.orig}", file=sys.stderr)
        return 1
    print("Schéma de la base des dossiers à jour.")
    return 0


def _seed(_: argparse.Namespace) -> int:
    data = load_demo_data()
    with _store().session() as session:
        report = seed(session, data)
    print(
        f"Démonstration : {report.creditors_added} créancier(s) et {report.cases_added} dossier(s) ajoutés,"
        f" {report.cases_already_there} déjà présent(s)."
    )
    return 0


def _import(arguments: argparse.Namespace) -> int:
    path: Path = arguments.file
    if not path.is_file():
        print(f"Fichier introuvable : {path}", file=sys.stderr)
        return 2
    with _store().session() as session:
        report = import_cases(session, path)
        if not report.ok:
            session.rollback()
    if not report.ok:
        print(
            f"Import refusé : {len(report.errors)} erreur(s), aucun dossier n'a été enregistré.",
            file=sys.stderr,
        )
        for error in report.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    print(f"Import réussi : {report.cases_added} dossier(s) enregistré(s) sur {report.rows_read} ligne(s).")
    return 0


def _show(arguments: argparse.Namespace) -> int:
    try:
        today = date.fromisoformat(arguments.today.strip()) if arguments.today else date.today()
    except ValueError:
        print(f"Date invalide « {arguments.today} » : format attendu AAAA-MM-JJ.", file=sys.stderr)
        return 2
    case = _store().case_view(arguments.reference)
    if case is None:
        print(f"Aucun dossier {arguments.reference.strip().upper()}.", file=sys.stderr)
        return 1
    print(render_case(case, today=today))
    return 0


def _list(_: argparse.Namespace) -> int:
    for case in _store().case_views():
        print(
            f"{case.reference}  {case.debtor_first_name} {case.debtor_last_name:<22} "
            f"{case.creditor_name:<28} {format_euros(case.amount_due):>14}  {case.status.value}"
        )
    return 0
