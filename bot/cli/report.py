"""`amiable report kpis [--since AAAA-MM-JJ] [--until AAAA-MM-JJ] [--html FICHIER] [--json]`: the team's KPIs."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.reports.html import render_html
from bot.reports.kpis import KpiReport, compute_kpis
from bot.reports.progress import DelayedProgress
from bot.reports.source import Period, StoreSource
from bot.reports.text import render_text
from bot.settings import database_url

PROGRESS_DELAY = 1.0  # seconds of computing after which the progress is shown on stderr


class UsageError(ValueError):
    """A wrong option: the message is for the user, the exit code is 2."""


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("report", help="rapports pour l'équipe : indicateurs de recouvrement (KPI)")
    reports = parser.add_subparsers(dest="report_command", metavar="RAPPORT", required=True)
    kpis = reports.add_parser(
        "kpis",
        help="indicateurs de la période : conversations, accords, promesses tenues, recouvrement, satisfaction…",
        description=(
            "Calcule les indicateurs à partir de la base des dossiers (lecture seule) : conversations et taux"
            " d'identification, accords et montants, promesses tenues, taux de recouvrement, délai médian jusqu'à"
            " l'accord, passages à un conseiller par motif, émotions rencontrées, satisfaction. Les définitions"
            " sont imprimées avec le rapport."
        ),
    )
    kpis.add_argument("--since", metavar="AAAA-MM-JJ", help="premier jour de la période (défaut : depuis le début)")
    kpis.add_argument("--until", metavar="AAAA-MM-JJ", help="dernier jour de la période (défaut : aujourd'hui)")
    kpis.add_argument(
        "--html", metavar="FICHIER", type=Path, help="écrit aussi un rapport HTML autonome, graphiques compris"
    )
    kpis.add_argument("--json", action="store_true", help="imprime les indicateurs en JSON")
    kpis.add_argument(
        "--today",
        metavar="AAAA-MM-JJ",
        help="date du calcul, qui dit quelles échéances sont arrivées à terme (défaut : aujourd'hui)",
    )
    kpis.set_defaults(handler=_kpis)


def parse_day(value: str | None, option: str, default: date | None) -> date | None:
    if value is None:
        return default
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"Date invalide « {value} » pour {option} : format attendu AAAA-MM-JJ.") from None


def parse_period(since: str | None, until: str | None, today: date) -> Period:
    first = parse_day(since, "--since", None)
    last = parse_day(until, "--until", today)
    assert last is not None
    if first is not None and first > last:
        raise UsageError(f"Période vide : --since ({first.isoformat()}) est après --until ({last.isoformat()}).")
    return Period(first, last)


def prepare_output(path: Path) -> Path:
    """Checks, before any computation, that the HTML file can be written (its folder is created if missing)."""
    if path.is_dir():
        raise UsageError(f"« {path} » est un dossier : indiquez un nom de fichier, par exemple {path / 'kpis.html'}.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(
            f"Impossible d'écrire le rapport HTML « {path} » : le dossier « {path.parent} » ne peut pas être créé"
            f" ({error.strerror or error})."
        ) from None
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"Impossible d'écrire le rapport HTML « {path} » : permission refusée.")
    return path


def write_atomically(path: Path, text: str) -> None:
    """Writes the whole file or nothing (a temporary file beside it, then renamed)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _shown_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as given
        return url


def _missing_sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL when it does not exist (connecting would create an empty one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


def compute(url: str, period: Period, today: date, progress: DelayedProgress) -> KpiReport:
    source = StoreSource(url)
    with source.reading():
        return compute_kpis(source, period, today, progress.step)


def _kpis(arguments: argparse.Namespace) -> int:
    try:
        today = parse_day(arguments.today, "--today", date.today())
        assert today is not None
        period = parse_period(arguments.since, arguments.until, today)
        html_path = prepare_output(arguments.html) if arguments.html else None
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    url = database_url()
    missing = _missing_sqlite_file(url)
    if missing is not None:
        print(
            f"Base des dossiers introuvable ({missing}). Lancez d'abord : amiable cases migrate",
            file=sys.stderr,
        )
        return 1
    with DelayedProgress("Calcul des indicateurs", delay=PROGRESS_DELAY) as progress:
        try:
            report = compute(url, period, today, progress)
        except (OperationalError, ProgrammingError) as error:
            print(
                f"Base des dossiers inaccessible ou non migrée ({_shown_url(url)}) : {error.orig}."
                " Lancez d'abord : amiable cases migrate",
                file=sys.stderr,
            )
            return 1
        if html_path is not None:
            progress.step("graphiques et page HTML")
            page = render_html(report)
    if html_path is not None:
        try:
            write_atomically(html_path, page)
        except OSError as error:
            print(f"Impossible d'écrire le rapport HTML « {html_path} » : {error.strerror or error}.", file=sys.stderr)
            return 1
    notice = None if html_path is None else f"Rapport HTML écrit : {html_path}"
    if arguments.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        if notice:
            print(notice, file=sys.stderr)
    else:
        print(render_text(report))
        if notice:
            print(notice)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m bot.cli.report kpis …` (the same command as `amiable report kpis …`)."""
    parser = argparse.ArgumentParser(prog="amiable")
    register(parser.add_subparsers(dest="command", metavar="COMMANDE", required=True))
    arguments = parser.parse_args(["report", *(sys.argv[1:] if argv is None else argv)])
    return int(arguments.handler(arguments) or 0)


if __name__ == "__main__":
    sys.exit(main())
