"""Scale-out as deployed (deploy/endpoints.scaleout.yml): ONE action server and TWO Rasa servers sharing the
PostgreSQL tracker store and the Redis lock store, the case store on PostgreSQL. One negotiation whose turns
alternate between the two servers stays coherent and ends with exactly one arrangement."""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.cases import CaseStore
from bot.cases.demo import load_demo_data
from bot.cases.models import JournalKind
from bot.listening import is_open
from bot.serving import Stack
from tests.e2e.scaleout_support import (
    action_server,
    count_arrangements,
    database_url,
    journal,
    rasa_server,
    redis_keys,
    redis_prefix,
    running,
    say,
    scaleout_environment,
    seeded_store,
    throwaway_database,
    user_events,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


@dataclass
class ScaleOut:
    first: Stack
    second: Stack
    store: CaseStore
    prefix: str


@pytest.fixture(scope="module")
def scaleout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScaleOut]:
    workdir = tmp_path_factory.mktemp("scaleout")
    with (
        throwaway_database("amiable_cases") as cases,
        throwaway_database("amiable_tracker") as tracker,
        redis_prefix() as prefix,
    ):
        store = seeded_store(database_url(cases))
        environment = scaleout_environment(database_url(cases), tracker, prefix)
        # Two worker processes in the action server and in the second Rasa server (SANIC_WORKERS=2): Sanic forks
        # them after spaCy's warm-up started, which must neither hang them nor change anything in the conversation.
        actions = action_server(workdir, environment, workers=2)
        first = rasa_server(workdir, "rasa-1", environment, actions.config.action_port)
        second = rasa_server(workdir, "rasa-2", environment, actions.config.action_port, workers=2)
        with running(actions, first, second):
            yield ScaleOut(first, second, store, prefix)


def test_a_negotiation_alternating_between_two_rasa_servers_records_one_arrangement(scaleout: ScaleOut) -> None:
    a, b = scaleout.first, scaleout.second
    sender = f"scaleout-{uuid.uuid4().hex[:8]}"
    reference = identify_alternating(a, b, sender)

    turn = say(a, sender, "j'ai perdu mon travail en septembre et je n'arrive plus à payer")
    assert "vous avez perdu votre travail en septembre" in turn[0] and is_open(turn[-1]), turn
    turn = say(b, sender, "je pourrais mettre 60 euros par mois")
    assert any("60,00" in text for text in turn) and is_open(turn[-1]), turn  # the amount heard, the pay day asked
    turn = say(a, sender, "le 5")
    summary = next(text for text in turn if text.startswith("Pour résumer"))
    assert "60,00" in summary and "le 5 du mois" in summary, turn  # what server B heard, summed up by server A
    assert any("\n1. " in text and "\n2. " in text for text in turn), turn
    recap = say(b, sender, "je prends la deuxième")
    assert recap[-1].endswith("Confirmez-vous cet accord ?"), recap
    assert count_arrangements(scaleout.store, reference) == 0

    done = say(a, sender, "oui", message_id="confirm-1")
    assert any("Votre accord est enregistré" in text for text in done), done
    # A client retry of the same confirmation reaching the other server: the same answer, not processed again
    # (the processed message ids are in Redis, shared by both servers).
    assert say(b, sender, "oui", message_id="confirm-1") == done
    again = say(b, sender, "oui")  # a second, distinct "yes" records nothing more
    assert not any("Votre accord est enregistré" in text for text in again), again

    assert count_arrangements(scaleout.store, reference) == 1
    assert len(journal(scaleout.store, reference, JournalKind.AGREEMENT)) == 1
    texts = [event["text"] for event in user_events(b, sender)]
    assert texts.count("oui") == 2 and texts[-2:] == ["oui", "oui"], texts  # the retry never reached the tracker
    assert any(key.startswith(f"{scaleout.prefix}:rest:{sender}:") for key in redis_keys(scaleout.prefix))


def identify_alternating(a: Stack, b: Stack, sender: str) -> str:
    """The reference to server A, the date of birth to server B: B finds what A stored."""
    case = load_demo_data().cases[0]
    asked = say(a, sender, case.reference)
    assert not any("identité est vérifiée" in text for text in asked), asked
    verified = say(b, sender, case.debtor.birth_date.strftime("%d/%m/%Y"))
    assert any("identité est vérifiée" in text for text in verified), verified
    return case.reference


def test_the_endpoints_file_reads_every_value_from_the_environment() -> None:
    text = Path("deploy/endpoints.scaleout.yml").read_text(encoding="utf-8")
    values = [line.split(":", 1)[1].split("#")[0].strip() for line in text.splitlines() if line.startswith("  ")]
    assert values and all(value.startswith("${") or value in {"SQL", "postgresql", "redis"} for value in values)


def test_the_assist_api_answers_on_both_workers_of_a_server(scaleout: ScaleOut) -> None:
    """Suggestions use spaCy in the Rasa server itself: each of the second server's two workers must answer (a
    worker forked while spaCy was loading used to wait for ever on its first message)."""
    server = scaleout.second.config
    reference = load_demo_data().cases[0].reference

    def suggest(index: int) -> tuple[int, dict[str, Any]]:
        body = {"conversation_id": f"workers-{uuid.uuid4().hex[:8]}-{index}", "case_reference": reference}
        body["text"] = "j'ai perdu mon travail et je ne sais pas comment payer"
        request = urllib.request.Request(
            f"{server.rasa_url}/webhooks/assist/debtor",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {server.api_token}"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback), a new connection each
            return response.status, json.loads(response.read())

    with ThreadPoolExecutor(max_workers=4) as pool:  # several connections at once: the kernel spreads them
        answers = list(pool.map(suggest, range(8)))
    for status, answer in answers:
        reformulation = next(s["text"] for s in answer["suggestions"] if s["kind"] == "reformulation")
        assert status == 200 and "vous avez perdu votre travail" in reformulation, answer
