"""`amiable report kpis`: text, JSON and HTML outputs on a hand-built store, usage errors, one run on PostgreSQL."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.cases import CaseStore
from bot.cli import report
from tests.bot.reports import dataset

NNBSP = "\u202f"


def amiable(argv: Sequence[str]) -> int:
    """`amiable …` with the `report` command registered (as bot.cli does once `report.register` is added)."""
    parser = argparse.ArgumentParser(prog="amiable")
    report.register(parser.add_subparsers(dest="command", required=True))
    arguments = parser.parse_args(list(argv))
    return int(arguments.handler(arguments) or 0)


@pytest.fixture
def kpi_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = CaseStore(url)
    store.migrate()
    dataset.build(store)
    monkeypatch.setenv("AMIABLE_DB_URL", url)
    return url


PERIOD = ["--since", "2026-11-01", "--until", "2026-11-20", "--today", "2026-11-25"]


def test_text_report(kpi_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert amiable(["report", "kpis", *PERIOD]) == 0
    captured = capsys.readouterr()
    assert "Indicateurs du 1er novembre 2026 au 20 novembre 2026" in captured.out
    assert f"Accords : 4 pour 1{NNBSP}815,50\xa0€" in captured.out
    assert f"Taux de recouvrement : 15,8{NNBSP}%" in captured.out
    assert captured.err == ""  # quick: no progress shown


def test_json_report_is_machine_readable(kpi_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert amiable(["report", "kpis", *PERIOD, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == {"since": "2026-11-01", "until": "2026-11-20"}
    assert data["conversations"] == {"count": 5, "identified": 3, "with_outcome": 4, "identification_rate": 0.75}
    assert data["agreements"]["count"] == 4 and data["agreements"]["amount"] == "1815.50"
    assert data["agreements"]["weeks"][2] == {"week_start": "2026-11-09", "agreements": 3, "amount": "915.50"}
    assert data["promises"]["kept_rate"] == 0.6 and data["promises"]["grace_days"] == 5
    assert data["recovery"] == {"cases": 3, "due_at_start": "1425.50", "received": "225.50", "rate": 0.1582}
    assert data["time_to_agreement"] == {"median_days": 34.0, "measured": 3, "excluded": 1}
    assert data["handovers"]["by_reason"]["vulnerabilite"] == {"count": 2, "rate": 0.4}
    assert data["emotions"]["anxiete"] == 3
    assert data["satisfaction"]["mean"] == 4.0 and data["satisfaction"]["distribution"]["5"] == 2


def test_html_report_is_written(kpi_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "sortie" / "kpis.html"
    assert amiable(["report", "kpis", *PERIOD, "--html", str(target)]) == 0
    captured = capsys.readouterr()
    assert f"Rapport HTML écrit : {target}" in captured.out
    page = target.read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 5
    assert f"1{NNBSP}815,50\xa0€" in page
    assert not list(target.parent.glob(".kpis.html.*"))  # no temporary file left
    assert amiable(["report", "kpis", *PERIOD, "--html", str(target), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["agreements"]["count"] == 4  # stdout stays pure JSON
    assert "Rapport HTML écrit" in captured.err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--since", "01/11/2026"], "Date invalide « 01/11/2026 » pour --since : format attendu AAAA-MM-JJ."),
        (["--until", "2026-13-01"], "Date invalide « 2026-13-01 » pour --until : format attendu AAAA-MM-JJ."),
        (["--since", "2026-11-21", "--until", "2026-11-20"], "Période vide : --since (2026-11-21) est après --until"),
    ],
)
def test_bad_dates_are_refused(
    kpi_url: str, options: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert amiable(["report", "kpis", *options]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_an_unwritable_html_file_is_refused_before_computing(
    kpi_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "fichier.txt"
    blocker.write_text("pas un dossier", encoding="utf-8")
    assert amiable(["report", "kpis", "--html", str(blocker / "kpis.html")]) == 2
    captured = capsys.readouterr()
    assert f"Impossible d'écrire le rapport HTML « {blocker / 'kpis.html'} »" in captured.err
    assert captured.out == ""
    assert amiable(["report", "kpis", "--html", str(tmp_path)]) == 2
    assert "est un dossier : indiquez un nom de fichier" in capsys.readouterr().err


def test_a_missing_or_unmigrated_store_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    absent = tmp_path / "absente.db"
    monkeypatch.setenv("AMIABLE_DB_URL", f"sqlite:///{absent}")
    assert amiable(["report", "kpis"]) == 1
    assert "Base des dossiers introuvable" in capsys.readouterr().err
    assert not absent.exists()  # a read-only report creates no database
    empty = tmp_path / "vide.db"
    empty.touch()
    monkeypatch.setenv("AMIABLE_DB_URL", f"sqlite:///{empty}")
    assert amiable(["report", "kpis"]) == 1
    assert "non migrée" in (err := capsys.readouterr().err) and "amiable cases migrate" in err


def test_progress_is_shown_when_computing_is_slow(
    kpi_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(report, "PROGRESS_DELAY", 0.0)
    assert amiable(["report", "kpis", *PERIOD]) == 0
    err = capsys.readouterr().err
    assert "Calcul des indicateurs : " in err and "Calcul des indicateurs : terminé en " in err


@pytest.mark.postgres
@pytest.mark.parametrize("empty_store_url", ["postgresql"], indirect=True)
def test_same_figures_on_postgresql(
    store: CaseStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset.build(store)
    monkeypatch.setenv("AMIABLE_DB_URL", store.url)
    assert amiable(["report", "kpis", *PERIOD, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["agreements"]["amount"] == "1815.50" and data["recovery"]["rate"] == 0.1582
    source = report.StoreSource(store.url)
    with source.reading():
        computed = report.compute_kpis(source, report.Period(dataset.SINCE, dataset.UNTIL), dataset.TODAY)
    dataset.assert_november_figures(computed)
