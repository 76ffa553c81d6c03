"""Faults on the production layout (deploy/endpoints.scaleout.yml: PostgreSQL tracker store, Redis lock store,
case store on PostgreSQL): the action server down, the database lost while an arrangement is recorded, the Rasa
server restarted, the same message delivered twice. This module has its own servers (it stops and restarts
them) and reaches the case store's database through a TCP proxy that can cut it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy.engine import make_url

from actions.negotiation import NOT_RECORDED
from bot.cases import CaseStore
from bot.cases.models import JournalKind
from bot.channels.rest import APOLOGY
from bot.serving import Stack
from tests.conftest import POSTGRES_ADMIN_URL
from tests.e2e.scaleout_support import (
    TcpProxy,
    action_server,
    count_arrangements,
    database_url,
    identify,
    journal,
    rasa_server,
    redis_prefix,
    running,
    say,
    scaleout_environment,
    seeded_store,
    throwaway_database,
    user_events,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]
LOST_JOB = "j'ai perdu mon travail en septembre et je n'arrive plus à payer"
BALANCE = "je voudrais connaître le détail de ma dette"


@dataclass
class Faults:
    actions: Stack
    rasa: Stack
    proxy: TcpProxy
    store: CaseStore  # the case store read directly, not through the proxy


@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Faults]:
    workdir = tmp_path_factory.mktemp("faults")
    with (
        throwaway_database("amiable_cases") as cases,
        throwaway_database("amiable_tracker") as tracker,
        redis_prefix() as prefix,
        TcpProxy(target_port=make_url(POSTGRES_ADMIN_URL).port or 5432) as proxy,
    ):
        store = seeded_store(database_url(cases))
        environment = scaleout_environment(database_url(cases, port=proxy.port), tracker, prefix)
        actions = action_server(workdir, environment)
        rasa = rasa_server(workdir, "rasa", environment, actions.config.action_port)
        with running(actions, rasa):
            yield Faults(actions, rasa, proxy, store)


def _sender() -> str:
    return f"faults-{uuid.uuid4().hex[:8]}"


def _up_to_the_recap(stack: Stack, sender: str) -> None:
    """An identified debtor explains, gives what they can pay and when, picks option 2: the recap is asked."""
    turn = say(stack, sender, LOST_JOB)
    assert "vous avez perdu votre travail en septembre" in turn[0], turn
    say(stack, sender, "je pourrais mettre 60 euros par mois")
    turn = say(stack, sender, "le 5")
    assert any("\n2. " in text for text in turn), turn
    recap = say(stack, sender, "je prends la deuxième")
    assert recap[-1].endswith("Confirmez-vous cet accord ?"), recap


def test_database_lost_at_the_arrangement_commit_records_nothing_then_the_retry_records_once(faults: Faults) -> None:
    sender = _sender()
    reference = identify(faults.rasa, sender, case_index=1)
    _up_to_the_recap(faults.rasa, sender)
    faults.proxy.cut_at_arrangement_commit()
    try:
        failed = say(faults.rasa, sender, "oui")
        assert faults.proxy.cut.is_set()  # the connection died between the arrangement's INSERT and its COMMIT
        assert failed == [NOT_RECORDED]
        assert count_arrangements(faults.store, reference) == 0
        assert journal(faults.store, reference, JournalKind.AGREEMENT) == []
        assert faults.store.case_view(reference).status.value == "ouvert"
    finally:
        faults.proxy.restore()
    done = say(faults.rasa, sender, "oui")
    assert any("Votre accord est enregistré" in text for text in done), done
    assert count_arrangements(faults.store, reference) == 1
    assert len(journal(faults.store, reference, JournalKind.AGREEMENT)) == 1
    assert faults.store.case_view(reference).status.value == "accord"


def test_the_same_message_delivered_twice_is_processed_once(faults: Faults) -> None:
    sender = _sender()
    reference = identify(faults.rasa, sender, case_index=0)
    first = say(faults.rasa, sender, LOST_JOB, message_id="retry-1")
    assert say(faults.rasa, sender, LOST_JOB, message_id="retry-1") == first
    assert [event["text"] for event in user_events(faults.rasa, sender)].count(LOST_JOB) == 1
    told = [entry for entry in journal(faults.store, reference, JournalKind.INTENT) if "perdu" in (entry.text or "")]
    assert len(told) == 1, told

    say(faults.rasa, sender, "je pourrais mettre 60 euros par mois")
    say(faults.rasa, sender, "le 5")
    assert say(faults.rasa, sender, "je prends la deuxième")[-1].endswith("Confirmez-vous cet accord ?")
    done = say(faults.rasa, sender, "oui", message_id="retry-2")
    assert any("Votre accord est enregistré" in text for text in done), done
    assert say(faults.rasa, sender, "oui", message_id="retry-2") == done  # the same answer, not "déjà enregistré"
    assert count_arrangements(faults.store, reference) == 1
    assert len(journal(faults.store, reference, JournalKind.AGREEMENT)) == 1


def test_action_server_down_gets_an_apology_and_the_resent_message_goes_on(faults: Faults) -> None:
    sender = _sender()
    reference = identify(faults.rasa, sender, case_index=5)
    faults.actions.stop_server("actions")
    try:
        assert say(faults.rasa, sender, BALANCE) == [APOLOGY]
        assert BALANCE not in [event["text"] for event in user_events(faults.rasa, sender)]  # nothing half-written
    finally:
        faults.actions.start_actions()
        faults.actions.wait_ready()
    balance = say(faults.rasa, sender, BALANCE)  # the new action server knows nothing: the tracker has it all
    assert any(reference in text and "Il reste" in text for text in balance), balance
    assert [event["text"] for event in user_events(faults.rasa, sender)].count(BALANCE) == 1


def test_the_rasa_server_restarted_continues_from_the_postgresql_tracker_store(faults: Faults) -> None:
    sender = _sender()
    reference = identify(faults.rasa, sender, case_index=4)
    faults.rasa.stop_server("rasa")
    faults.rasa.start_rasa()  # a new process: all it knows of the conversation is in PostgreSQL
    faults.rasa.wait_ready()
    balance = say(faults.rasa, sender, BALANCE)
    assert any(reference in text and "Il reste" in text for text in balance), balance
