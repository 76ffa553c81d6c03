"""Agent assist through the running Rasa server: suggestions follow the conversation kept in the tracker."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from bot.cases.demo import load_demo_data
from bot.serving import Stack

pytestmark = pytest.mark.e2e


def _post(stack: Stack, route: str, body: dict[str, Any], token: str | None) -> dict[str, Any]:
    query = f"?token={token}" if token else ""
    request = urllib.request.Request(
        f"{stack.config.rasa_url}/webhooks/assist/{route}{query}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 (loopback)
        return json.loads(answer.read())


def test_suggestions_for_a_debtor_message_and_a_draft_check(stack: Stack) -> None:
    token = stack.config.api_token
    reference = load_demo_data().cases[0].reference
    turn = _post(
        stack,
        "debtor",
        {"conversation_id": "assist-1", "case_reference": reference, "text": "j'ai perdu mon travail, je suis perdue"},
        token,
    )
    assert turn["intent"] == "difficultes_financieres"
    kinds = [suggestion["kind"] for suggestion in turn["suggestions"]]
    assert kinds[0] == "reformulation" and "question_ouverte" in kinds and "proposition" in kinds
    assert any(s["details"].get("schedule") for s in turn["suggestions"])

    flagged = _post(
        stack,
        "agent",
        {"conversation_id": "assist-1", "text": "Payez ou l'huissier saisira vos meubles.", "send": True},
        token,
    )
    assert flagged["compliant"] is False and flagged["act"] == "pression" and flagged["rewrite"] and not flagged["sent"]
    sent = _post(stack, "agent", {"conversation_id": "assist-1", "text": flagged["rewrite"], "send": True}, token)
    assert sent["compliant"] and sent["sent"]

    url = f"{stack.config.rasa_url}/conversations/assist-1/tracker?token={token}"
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 (loopback)
        events = json.loads(answer.read())["events"]
    assert [e["text"] for e in events if e["event"] == "user"] == ["j'ai perdu mon travail, je suis perdue"]
    assert [e["text"] for e in events if e["event"] == "bot"] == [flagged["rewrite"]]


def test_assist_requires_the_token(stack: Stack) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        _post(stack, "debtor", {"conversation_id": "assist-2", "text": "bonjour"}, None)
    assert refused.value.code == 401
