"""The trained model's parse (reference date 2026-11-22), shared by the tests that score it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.evaluation.nlu import Parse, load_parser

MODEL = Path("models") / "amiable.tar.gz"


@pytest.fixture(scope="session")
def parse() -> Parse:
    if not MODEL.is_file():
        pytest.fail("Modèle absent : lancez « make test » (qui entraîne) ou « amiable train ».")
    return load_parser(MODEL, date(2026, 11, 22))
