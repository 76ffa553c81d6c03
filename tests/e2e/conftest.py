"""One running stack (trained model + action server + REST webhook) shared by the end-to-end tests."""

from __future__ import annotations

import json
import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cases import CaseStore
from bot.cases.demo import load_demo_data, seed
from bot.serving import Stack, StackConfig

MODEL = Path("models") / "amiable.tar.gz"
TODAY = "2026-11-22"  # the demo data and the expected dates are written for this day


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def e2e_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    workdir = tmp_path_factory.mktemp("e2e-db")
    url = f"sqlite:///{workdir / 'cases.db'}"
    store = CaseStore(url)
    store.migrate()
    with store.session() as session:
        seed(session, load_demo_data())
    return url


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, e2e_database: str) -> Iterator[Stack]:
    if not MODEL.is_file():
        pytest.fail("Modèle absent : lancez « make test » (qui entraîne) ou « amiable train ».")
    workdir = tmp_path_factory.mktemp("e2e")
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        "action_endpoint:\n  url: ${ACTION_SERVER_URL}\n"
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {workdir / 'tracker.db'}\n",
        encoding="utf-8",
    )
    config = StackConfig(
        model=MODEL,
        rasa_port=free_port(),
        action_port=free_port(),
        endpoints=endpoints,
        log_dir=workdir / "log",
        environment={"AMIABLE_DB_URL": e2e_database, "AMIABLE_TODAY": TODAY},
    )
    with Stack(config) as running:
        yield running


def say(stack: Stack, sender: str, message: str) -> list[str]:
    """Sends one debtor message through the REST webhook; returns the bot's texts."""
    request = urllib.request.Request(
        f"{stack.config.rasa_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
        return [reply["text"] for reply in json.loads(response.read()) if "text" in reply]
