"""`amiable cases import FILE.csv`: row-by-row validation, then all rows or none."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cases.demo import debtor_row
from bot.cases.models import Case, CaseStatus, Creditor, Debtor
from bot.cases.schemas import CaseImportRow

REQUIRED_COLUMNS = (
    "reference",
    "creditor",
    "first_name",
    "last_name",
    "birth_date",
    "postcode",
    "nature",
    "principal",
    "due_date",
)
OPTIONAL_COLUMNS = ("civility", "city", "email", "phone", "interest", "accessories", "amount_due")
FIELD_NAMES_FR = {
    "reference": "référence",
    "creditor": "créancier",
    "civility": "civilité",
    "first_name": "prénom",
    "last_name": "nom",
    "birth_date": "date de naissance",
    "postcode": "code postal",
    "city": "ville",
    "email": "e-mail",
    "phone": "téléphone",
    "nature": "nature",
    "principal": "principal",
    "interest": "intérêts",
    "accessories": "accessoires",
    "due_date": "date d'exigibilité",
    "amount_due": "montant dû",
    "__root__": "ligne",
}


@dataclass
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"ligne {self.line} : {self.reason}"


@dataclass
class ImportReport:
    rows_read: int = 0
    cases_added: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _explain(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        name = FIELD_NAMES_FR.get(str(item["loc"][0]), str(item["loc"][0]))
        message = item["msg"]
        if item["type"] == "value_error.missing":
            message = "valeur manquante"
        elif item["type"].startswith("value_error.date") or item["type"] == "type_error.date":
            message = "date invalide (attendu AAAA-MM-JJ ou JJ/MM/AAAA)"
        elif item["type"] == "value_error.any_str.min_length":
            message = "valeur trop courte"
        parts.append(f"{name} : {message}")
    return " ; ".join(parts)


def read_rows(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """The CSV's rows with their line numbers (header = line 1); `,` or `;` separated, UTF-8."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(1, "le fichier n'est pas encodé en UTF-8")]
    if not text.strip():
        return [], [RowError(1, "le fichier est vide")]
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    errors = []
    if missing:
        errors.append(RowError(1, "colonnes obligatoires absentes : " + ", ".join(missing)))
    if unknown:
        errors.append(RowError(1, "colonnes inconnues : " + ", ".join(unknown)))
    if errors:
        return [], errors
    rows = []
    for raw in reader:
        if None in raw:
            errors.append(RowError(reader.line_num, "trop de colonnes sur cette ligne"))
            continue
        values = {key.strip(): (value or "").strip() for key, value in raw.items()}
        if any(values.values()):
            rows.append((reader.line_num, values))
    return rows, errors


def import_cases(session: Session, path: Path) -> ImportReport:
    """Validates every row; writes them all in the caller's transaction only when none is wrong."""
    rows, errors = read_rows(path)
    report = ImportReport(rows_read=len(rows), errors=errors)
    creditors = {c.key.lower(): c for c in session.execute(select(Creditor)).scalars()}
    creditors.update({c.name.lower(): c for c in creditors.values()})
    existing = set(session.execute(select(Case.reference)).scalars())
    valid: list[CaseImportRow] = []
    for line, values in rows:
        cleaned = {key: value for key, value in values.items() if value != ""}
        try:
            row = CaseImportRow(**cleaned)
        except ValidationError as error:
            report.errors.append(RowError(line, _explain(error)))
            continue
        if row.creditor.lower() not in creditors:
            report.errors.append(RowError(line, f"créancier inconnu « {row.creditor} »"))
        elif row.reference in existing:
            report.errors.append(RowError(line, f"la référence {row.reference} existe déjà"))
        else:
            existing.add(row.reference)
            valid.append(row)
    if report.errors:
        report.errors.sort(key=lambda error: error.line)
        return report
    for row in valid:
        session.add(
            Case(
                reference=row.reference,
                creditor=creditors[row.creditor.lower()],
                debtor=_find_or_create_debtor(session, row),
                nature=row.nature,
                principal=row.principal,
                interest=row.interest,
                accessories=row.accessories,
                due_date=row.due_date,
                status=CaseStatus.OUVERT,
            )
        )
        session.flush()
    report.cases_added = len(valid)
    return report


def _find_or_create_debtor(session: Session, row: CaseImportRow) -> Debtor:
    """The same person (names and birth date) gets one debtor record for all their cases."""
    statement = select(Debtor).where(
        func.lower(Debtor.first_name) == row.first_name.lower(),
        func.lower(Debtor.last_name) == row.last_name.lower(),
        Debtor.birth_date == row.birth_date,
    )
    debtor = session.execute(statement).scalars().first()
    return debtor or debtor_row(row.debtor())
