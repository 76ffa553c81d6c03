"""End to end: trained model + action server + REST webhook, French in, French out."""

from __future__ import annotations

import json
import urllib.request

import pytest

from bot.cases.demo import load_demo_data
from bot.serving import Stack, StackConfig
from tests.e2e.conftest import MODEL, free_port, say

pytestmark = pytest.mark.e2e


def test_french_greeting_gets_the_french_welcome(stack: Stack) -> None:
    replies = say(stack, "smoke-1", "Bonjour")
    assert replies and replies[0].startswith("Bonjour, je suis Amiable")


def test_identified_debtor_is_greeted_by_name_from_the_case_store(stack: Stack) -> None:
    case = load_demo_data().cases[0]
    birth = case.debtor.birth_date.strftime("%d/%m/%Y")
    say(stack, "smoke-2", "bonjour")
    asked = say(stack, "smoke-2", f"mon dossier c'est {case.reference}")
    assert any("date de naissance" in reply for reply in asked), asked
    verified = say(stack, "smoke-2", f"je suis né le {birth}")
    assert any(case.debtor.last_name in reply for reply in verified), verified
    greeted = say(stack, "smoke-2", "bonjour")
    assert greeted == [f"Bonjour {case.debtor.civility} {case.debtor.last_name} ! Comment puis-je vous aider ?"]


def test_api_requires_the_token(stack: Stack) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{stack.config.rasa_url}/status", timeout=10)  # noqa: S310
    assert refused.value.code == 401


def test_a_busy_port_is_reported_in_french(stack: Stack) -> None:
    from bot.serving.stack import PortInUseError

    clash = Stack(StackConfig(model=MODEL, rasa_port=stack.config.rasa_port, action_port=free_port()))
    with pytest.raises(PortInUseError, match="déjà utilisé"):
        clash.start()
    assert clash.processes == {}


def test_emotion_and_normalised_entities_reach_the_tracker(stack: Stack) -> None:
    say(stack, "smoke-3", "J'EN AI MARRE, je peux mettre 50 euros par mois, pas plus !!!")
    url = f"{stack.config.rasa_url}/conversations/smoke-3/tracker?token={stack.config.api_token}"
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
        latest = json.loads(response.read())["latest_message"]
    assert latest["emotion"]["name"] in {
        "colere",
        "anxiete",
        "tristesse",
        "neutre",
        "honte",
        "confusion",
        "mefiance",
        "soulagement",
    }
    assert len(latest["emotion_ranking"]) == 8
    assert {"entity": "montant", "value": "50.00"}.items() <= next(
        e for e in latest["entities"] if e["entity"] == "montant"
    ).items()


def test_a_too_long_message_gets_a_polite_answer_and_is_not_processed(stack: Stack) -> None:
    replies = say(stack, "smoke-long", "je vous explique ma situation " * 60)
    assert replies == ["Votre message est un peu long pour moi : pouvez-vous le résumer en quelques phrases ?"]
    url = f"{stack.config.rasa_url}/conversations/smoke-long/tracker?token={stack.config.api_token}"
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
        events = json.loads(response.read())["events"]
    assert not [event for event in events if event["event"] == "user"]
