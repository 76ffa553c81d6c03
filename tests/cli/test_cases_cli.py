from pathlib import Path

import pytest

from bot.cases.demo import load_demo_data
from bot.cli import main


@pytest.fixture(autouse=True)
def _database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMIABLE_DB_URL", f"sqlite:///{tmp_path / 'cli.db'}")


def test_migrate_seed_show_list(capsys: pytest.CaptureFixture[str]) -> None:
    case = load_demo_data().cases[0]
    assert main(["cases", "migrate"]) == 0
    assert main(["cases", "seed"]) == 0
    assert main(["cases", "seed"]) == 0
    out = capsys.readouterr().out
    assert f"{len(load_demo_data().cases)} dossier(s) ajoutés" in out
    assert "0 dossier(s) ajoutés" in out
    assert main(["cases", "show", case.reference.lower()]) == 0
    shown = capsys.readouterr().out
    assert case.reference in shown and case.debtor.last_name in shown and "Reste dû" in shown
    assert main(["cases", "list"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(load_demo_data().cases)


def test_show_unknown_reference(capsys: pytest.CaptureFixture[str]) -> None:
    main(["cases", "migrate"])
    assert main(["cases", "show", "REC-1999-000000"]) == 1
    assert "Aucun dossier REC-1999-000000" in capsys.readouterr().err


def test_import_with_a_bad_row_names_it_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["cases", "migrate"])
    main(["cases", "seed"])
    creditor = load_demo_data().creditors[0].key
    path = tmp_path / "cases.csv"
    path.write_text(
        "reference,creditor,first_name,last_name,birth_date,postcode,nature,principal,due_date\n"
        f"REC-2026-800001,{creditor},Anne,Vidal,1980-01-01,31000,Facture impayée,50.00,2026-09-01\n"
        f"REC-2026-800002,{creditor},Luc,Faure,1980-01-01,310,Facture impayée,50.00,2026-09-01\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["cases", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "aucun dossier n'a été enregistré" in err and "ligne 3" in err and "code postal" in err
    assert main(["cases", "show", "REC-2026-800001"]) == 1
    assert main(["cases", "import", str(tmp_path / "absent.csv")]) == 2


def test_show_gives_the_profile_and_where_the_promises_stand(capsys: pytest.CaptureFixture[str]) -> None:
    main(["cases", "migrate"])
    main(["cases", "seed"])
    capsys.readouterr()
    assert main(["cases", "show", "REC-2026-000136", "--today", "2026-11-25"]) == 0
    broken = capsys.readouterr().out
    assert "Profil du débiteur : oubli / désorganisation" in broken
    assert "  - 1 accord non tenu sur le dossier" in broken and "Ton conseillé : " in broken
    assert "n'a pas été tenu — échéance(s) non réglée(s) : 15 septembre 2026 (148,21\xa0€)" in broken
    assert "soit 444,63\xa0€." in broken
    assert main(["cases", "show", "REC-2026-000136", "--today", "2026-10-01"]) == 0
    assert "non réglée(s) : 15 septembre 2026 (148,21\xa0€), soit 148,21\xa0€." in capsys.readouterr().out
    assert main(["cases", "show", "REC-2026-000132", "--today", "2026-11-25"]) == 0
    live = capsys.readouterr().out
    assert "Profil du débiteur : profil non déterminé" in live
    assert "Suivi : échéancier accepté, 2 échéance(s) réglée(s) sur 6 ; prochaine échéance le 5 décembre 2026" in live
    assert main(["cases", "show", "REC-2026-000038"]) == 0
    assert "Profil du débiteur : contestation\n  - contestation ouverte le 14 octobre 2026" in capsys.readouterr().out
    assert main(["cases", "show", "REC-2026-000038", "--today", "demain"]) == 2
