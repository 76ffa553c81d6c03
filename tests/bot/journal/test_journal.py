from __future__ import annotations

import pytest

from bot.cases.demo import load_demo_data
from bot.cases.models import JournalKind
from bot.cases.store import CaseStore
from bot.journal import Journal, mask


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("écrivez-moi à nadia.benali@exemple.fr", "écrivez-moi à [e-mail]"),
        ("mon 06 12 34 56 78 ou +33 6 12 34 56 78", "mon [téléphone] ou [téléphone]"),
        ("née le 12/04/1987", "née le [date]"),
        ("née le 12 avril 1987", "née le [date]"),
        ("IBAN FR76 3000 6000 0112 3456 7890 189 svp", "IBAN [IBAN] svp"),
        ("carte 4970 1234 5678 9012", "carte [carte]"),
        ("j'habite au 69008", "j'habite au [code postal]"),
    ],
)
def test_personal_data_is_masked(text: str, masked: str) -> None:
    assert mask(text) == masked


def test_amounts_references_and_names() -> None:
    assert mask("je peux payer 12000 euros") == "je peux payer 12000 euros"
    assert mask("dossier REC-2026-000101") == "dossier REC-2026-000101"
    assert mask("Ici Nadia BENALI", ["Nadia", "Benali"]) == "Ici [nom] [nom]"


def test_entries_are_written_once_masked_and_only_on_known_cases(sqlite_demo_store: CaseStore) -> None:
    case = load_demo_data().cases[0]
    journal = Journal(sqlite_demo_store)
    text = f"c'est {case.debtor.first_name}, joignable au 06 12 34 56 78"
    assert journal.record(
        case.reference, JournalKind.INTENT, dedup_key="t:1", intent="saluer", emotion="neutre", text=text
    )
    assert not journal.record(case.reference, JournalKind.INTENT, dedup_key="t:1", intent="saluer", text=text)
    assert not journal.record("REC-2099-999999", JournalKind.INTENT, dedup_key="t:2", text="x")
    entries = [e for e in journal.entries(case.reference) if e.dedup_key == "t:1"]
    assert len(entries) == 1 and entries[0].text == "c'est [nom], joignable au [téléphone]"
    assert entries[0].intent == "saluer" and entries[0].emotion == "neutre"
