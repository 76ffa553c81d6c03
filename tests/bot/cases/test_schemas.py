from decimal import Decimal

import pytest
from pydantic import ValidationError

from bot.cases.schemas import CaseImportRow, normalise_reference, parse_money

ROW = {
    "reference": "REC-2026-123456",
    "creditor": "mobilys",
    "first_name": "Léa",
    "last_name": "Martin",
    "birth_date": "1990-05-17",
    "postcode": "75011",
    "nature": "Facture impayée",
    "principal": "100",
    "due_date": "2026-09-01",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,56", "1234.56"),
        ("1234.5", "1234.50"),
        ("12 €", "12.00"),
        ("0", "0.00"),
        ("1\u202f000,00", "1000.00"),
    ],
)
def test_parse_money_reads_french_amounts(text: str, expected: str) -> None:
    assert parse_money(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["-5", "abc", "", "12.345", "NaN", "Infinity"])
def test_parse_money_rejects_bad_amounts(text: str) -> None:
    with pytest.raises(ValueError):
        parse_money(text)


def test_reference_is_upper_cased_and_checked() -> None:
    assert normalise_reference(" rec-2025-000987 ") == "REC-2025-000987"
    with pytest.raises(ValueError, match="REC-AAAA-NNNNNN"):
        normalise_reference("REC-25-1")


def test_import_row_accepts_french_dates_and_checks_amount_due() -> None:
    row = CaseImportRow(**{**ROW, "birth_date": "17/05/1990", "interest": "2,50", "amount_due": "102,50"})
    assert row.birth_date.isoformat() == "1990-05-17"
    assert row.total == Decimal("102.50")
    with pytest.raises(ValidationError, match="différent"):
        CaseImportRow(**{**ROW, "amount_due": "150"})


def test_import_row_rejects_zero_principal_and_bad_postcode() -> None:
    with pytest.raises(ValidationError, match="principal"):
        CaseImportRow(**{**ROW, "principal": "0"})
    with pytest.raises(ValidationError, match="code postal"):
        CaseImportRow(**{**ROW, "postcode": "7501"})
