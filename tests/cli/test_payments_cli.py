from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.cli import main

FILE = (
    "reference;montant;date;moyen\n"
    "REC-2026-000111;63,70;14/12/2026;carte\n"
    "REC-2026-000111;63,70;06/01/2027;virement\n"
    "REC-2026-000108;20,00;21/12/2026;virement\n"
)


@pytest.fixture(autouse=True)
def _database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMIABLE_DB_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert main(["cases", "migrate"]) == 0
    assert main(["cases", "seed"]) == 0


def amiable(argv: Sequence[str]) -> int:
    """`amiable payments …` through the real entry point."""
    return main(list(argv))


def test_import_prints_a_french_summary_and_is_idempotent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "paiements.csv"
    path.write_text(FILE, encoding="utf-8")
    capsys.readouterr()
    assert amiable(["payments", "import", str(path), "--today", "2027-01-08"]) == 0
    out = capsys.readouterr().out
    assert "3 lignes lues, 3 paiements enregistrés, 0 déjà connu." in out
    assert "Suivi des accords au 8 janvier 2027 : 2 dossiers examinés, 2 échéances honorées, 1 échéance manquée." in out
    assert "Accords rompus : 1 · accords tenus : 1 · dossiers soldés : 1." in out
    assert "Rompu — REC-2026-000108 : échéance(s) non réglée(s) du 20 décembre 2026 (48,21\xa0€)" in out
    assert "Tenu — REC-2026-000111 (dossier soldé)" in out
    assert amiable(["payments", "import", str(path), "--today", "2027-01-08"]) == 0
    assert "0 paiement enregistré, 3 déjà connus." in capsys.readouterr().out
    assert main(["cases", "show", "REC-2026-000108", "--today", "2027-01-08"]) == 0
    shown = capsys.readouterr().out
    assert "Accord : échéancier rompu" in shown and "20 décembre 2026" in shown


def test_a_bad_file_names_its_lines_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "erreurs.csv"
    path.write_text(FILE + "REC-2026-000111;10,00;32/01/2027;carte\nREC-2026-999999;5;01/01/2027;carte\n", "utf-8")
    capsys.readouterr()
    assert amiable(["payments", "import", str(path), "--today", "2027-01-08"]) == 1
    err = capsys.readouterr().err
    assert "Import refusé : 2 erreurs, aucun paiement n'a été enregistré." in err
    assert (
        "ligne 5 : date : date impossible « 32/01/2027 »" in err and "ligne 6 : dossier inconnu REC-2026-999999" in err
    )
    assert main(["cases", "show", "REC-2026-000111"]) == 0
    assert "Déjà réglé" in (shown := capsys.readouterr().out) and "accord en cours" in shown


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert amiable(["payments", "import", str(tmp_path / "absent.csv")]) == 2
    assert "Fichier introuvable" in capsys.readouterr().err
    path = tmp_path / "p.csv"
    path.write_text(FILE, encoding="utf-8")
    assert amiable(["payments", "import", str(path), "--today", "08/01/2027"]) == 2
    assert "format attendu AAAA-MM-JJ" in capsys.readouterr().err


def test_big_files_show_their_progress(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [f"REC-2024-001973;1,{n % 100:02d};{1 + n % 28:02d}/10/2026;virement" for n in range(2500)]
    path = tmp_path / "gros.csv"
    path.write_text("reference;montant;date;moyen\n" + "\n".join(rows) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert amiable(["payments", "import", str(path), "--today", "2026-11-25"]) == 0
    captured = capsys.readouterr()
    assert (
        "Validation : 1\u202f000 / 2\u202f500" in captured.err
        and "Validation : 2\u202f500 / 2\u202f500" in captured.err
    )
    assert "2500 paiements enregistrés" in captured.out


def test_follow_all_breaks_a_promise_nobody_paid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "vide.csv"
    path.write_text("reference;montant;date;moyen\n", encoding="utf-8")
    capsys.readouterr()
    assert amiable(["payments", "import", str(path), "--today", "2026-12-06"]) == 0
    assert "0 dossier examiné" in capsys.readouterr().out
    assert amiable(["payments", "import", str(path), "--today", "2026-12-06", "--all"]) == 0
    out = capsys.readouterr().out
    assert "7 dossiers examinés" in out and "Rompu — REC-2026-000119" in out
