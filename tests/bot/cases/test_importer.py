from pathlib import Path

from sqlalchemy import func, select

from bot.cases import CaseStore
from bot.cases.demo import load_demo_data
from bot.cases.importer import import_cases
from bot.cases.models import Case, Debtor

HEADER = "reference,creditor,civility,first_name,last_name,birth_date,postcode,nature,principal,interest,due_date"


def _creditor() -> str:
    return load_demo_data().creditors[0].key


def _count(store: CaseStore) -> int:
    with store.session() as session:
        return session.execute(select(func.count(Case.id))).scalar_one()


def _import(store: CaseStore, path: Path):  # type: ignore[no-untyped-def]
    with store.session() as session:
        report = import_cases(session, path)
        if not report.ok:
            session.rollback()
    return report


def test_good_file_is_imported(demo_store: CaseStore, tmp_path: Path) -> None:
    creditor = _creditor()
    path = tmp_path / "ok.csv"
    path.write_text(
        f"{HEADER}\n"
        f"REC-2026-900001,{creditor},Mme,Inès,Durand,1979-02-11,33000,Facture impayée,120.00,1.50,2026-08-01\n"
        f"rec-2026-900002,{creditor},M.,Paul,Lemoine,03/12/1965,13008,Abonnement impayé,89.90,0,2026-07-15\n",
        encoding="utf-8",
    )
    before = _count(demo_store)
    report = _import(demo_store, path)
    assert report.ok and report.cases_added == 2
    assert _count(demo_store) == before + 2
    case = demo_store.case_view("REC-2026-900002")
    assert case is not None and case.debtor_display_name == "Monsieur Lemoine"


def test_file_with_one_bad_row_writes_nothing_and_names_the_row(demo_store: CaseStore, tmp_path: Path) -> None:
    creditor = _creditor()
    path = tmp_path / "bad.csv"
    path.write_text(
        f"{HEADER}\n"
        f"REC-2026-900011,{creditor},Mme,Inès,Durand,1979-02-11,33000,Facture impayée,120.00,1.50,2026-08-01\n"
        f"REC-2026-900012,{creditor},Mme,Zoé,Petit,1988-13-40,69001,Facture impayée,60.00,0,2026-08-01\n"
        f"REC-2026-900013,{creditor},M.,Marc,Roux,1970-01-05,59000,Facture impayée,75.00,0,2026-08-01\n",
        encoding="utf-8",
    )
    before_cases = _count(demo_store)
    with demo_store.session() as session:
        before_debtors = session.execute(select(func.count(Debtor.id))).scalar_one()
    report = _import(demo_store, path)
    assert not report.ok
    assert [error.line for error in report.errors] == [3]
    assert "date de naissance" in str(report.errors[0])
    assert _count(demo_store) == before_cases
    with demo_store.session() as session:
        assert session.execute(select(func.count(Debtor.id))).scalar_one() == before_debtors


def test_semicolons_french_amounts_and_every_kind_of_error(demo_store: CaseStore, tmp_path: Path) -> None:
    creditor = _creditor()
    existing = load_demo_data().cases[0].reference
    path = tmp_path / "errors.csv"
    path.write_text(
        HEADER.replace(",", ";") + "\n"
        f"REC-2026-900021;{creditor};Mme;Inès;Durand;1979-02-11;33000;Facture;1 200,50;0;2026-08-01\n"
        f"REC-2026-900022;inconnu;Mme;Léa;Blanc;1979-02-11;33000;Facture;10;0;2026-08-01\n"
        f"{existing};{creditor};Mme;Léa;Blanc;1979-02-11;33000;Facture;10;0;2026-08-01\n"
        f"REC-2026-900021;{creditor};Mme;Léa;Blanc;1979-02-11;33000;Facture;10;0;2026-08-01\n"
        f"REC-26-1;{creditor};Mme;Léa;Blanc;1979-02-11;33000;Facture;-10;0;2026-08-01\n",
        encoding="utf-8",
    )
    report = _import(demo_store, path)
    messages = {error.line: str(error) for error in report.errors}
    assert sorted(messages) == [3, 4, 5, 6]
    assert "créancier inconnu" in messages[3]
    assert "existe déjà" in messages[4] and "existe déjà" in messages[5]
    assert "référence" in messages[6] and "négatif" in messages[6]


def test_missing_columns_are_reported_on_line_one(store: CaseStore, tmp_path: Path) -> None:
    path = tmp_path / "columns.csv"
    path.write_text("reference,creditor\nREC-2026-000001,x\n", encoding="utf-8")
    report = _import(store, path)
    assert [error.line for error in report.errors] == [1]
    assert "first_name" in str(report.errors[0])
