"""The assist API as a Rasa channel on a real Sanic server, with an in-memory tracker and lock store standing in
for the Rasa agent (its parse is fixed here; the real one is exercised by tests/e2e/test_assist.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.cases.demo import load_demo_data
from bot.cases.store import CaseStore
from bot.channels.assist import AgentAssistInput
from tests.bot.channels.serving import running_app

TOKEN = "jeton-de-test"
REFERENCE = load_demo_data().cases[0].reference


class FakeAgent:
    """What the assist channel uses of Rasa's Agent: parse, tracker store, lock store."""

    def __init__(self) -> None:
        self.tracker_store = InMemoryTrackerStore(Domain.empty())
        self.lock_store = InMemoryLockStore()
        self.processor = SimpleNamespace(get_tracker=self._get_tracker, save_tracker=self.tracker_store.save)
        self.parsed: list[str] = []

    async def _get_tracker(self, conversation_id: str) -> DialogueStateTracker:
        return await self.tracker_store.get_or_create_tracker(conversation_id)

    async def parse_message(self, text: str) -> dict[str, Any]:
        self.parsed.append(text)
        if text == OFFER:
            return {
                "text": text,
                "intent": {"name": "proposer_paiement", "confidence": 0.9},
                "entities": [{"entity": "montant", "value": "40.00", "start": 14, "end": 22}],
                "emotion": {"name": "neutre", "confidence": 0.8},
            }
        return {
            "text": text,
            "intent": {"name": "difficultes_financieres", "confidence": 0.9},
            "entities": [],
            "emotion": {"name": "anxiete", "confidence": 0.8},
        }


OFFER = "je peux mettre 40 euros par mois"


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch, sqlite_demo_store: CaseStore) -> AsyncIterator[tuple[str, FakeAgent]]:
    monkeypatch.setenv("AMIABLE_API_TOKEN", TOKEN)
    monkeypatch.setenv("AMIABLE_DB_URL", sqlite_demo_store.url)
    agent = FakeAgent()
    async with running_app(monkeypatch, [AgentAssistInput()], agent=agent) as base:
        yield f"{base}/webhooks/assist", agent


async def _call(url: str, body: Any = None, token: str | None = TOKEN, raw: bytes | None = None) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as session:
        if body is None and raw is None:
            request = session.get(url, headers=headers)
        else:
            data = raw if raw is not None else None
            request = session.post(url, headers={**headers, "Content-Type": "application/json"}, data=data, json=body)
        async with request as response:
            return response.status, await response.json(content_type=None)


async def test_a_debtor_turn_is_recorded_with_its_suggestions_and_listed_for_the_console(
    server: tuple[str, FakeAgent],
) -> None:
    url, _ = server
    status, turn = await _call(
        f"{url}/debtor", {"conversation_id": "c1", "case_reference": REFERENCE, "text": "j'ai perdu mon emploi"}
    )
    assert status == 200 and turn["intent"] == "difficultes_financieres"
    assert any(s["kind"] == "proposition" for s in turn["suggestions"])
    draft = {"conversation_id": "c1", "text": "Qu'est-ce qui a changé ?", "send": True}
    status, sent = await _call(f"{url}/agent", draft)
    assert status == 200 and sent["sent"] is True
    status, listed = await _call(f"{url}/conversation/c1")
    assert status == 200
    turns = listed["turns"]
    assert [(t["index"], t["speaker"], t["text"]) for t in turns] == [
        (0, "debtor", "j'ai perdu mon emploi"),
        (1, "agent", "Qu'est-ce qui a changé ?"),
    ]
    assert turns[0]["assist"] == turn
    _, later = await _call(f"{url}/conversation/c1?since=1")
    assert [t["index"] for t in later["turns"]] == [1]


async def test_a_threatening_draft_is_never_recorded(server: tuple[str, FakeAgent]) -> None:
    url, agent = server
    body = {"conversation_id": "c2", "text": "Payez ou l'huissier passera demain saisir vos meubles.", "send": True}
    status, verdict = await _call(f"{url}/agent", body)
    assert status == 200 and verdict["compliant"] is False and verdict["sent"] is False and verdict["rewrite"]
    assert await agent.tracker_store.retrieve("c2") is None


async def test_the_case_panel(server: tuple[str, FakeAgent]) -> None:
    url, _ = server
    status, panel = await _call(f"{url}/case/{REFERENCE.lower()}")
    assert status == 200 and panel["reference"] == REFERENCE
    assert panel["creditor"] == "Mobilys Télécom" and panel["amount_due"].endswith("€")
    assert [line["label"] for line in panel["breakdown"]][:3] == ["Principal", "Intérêts", "Frais accessoires"]
    assert (await _call(f"{url}/case/REC-2099-999999"))[0] == 404
    assert (await _call(f"{url}/case/n'importe quoi"))[0] == 400


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("debtor", {"conversation_id": "c3"}),
        ("debtor", {"conversation_id": "", "text": "bonjour"}),
        ("debtor", {"conversation_id": ["liste"], "text": "bonjour"}),
        ("debtor", {"conversation_id": "c3", "text": 12}),
        ("debtor", {"conversation_id": "c3", "text": "   "}),
        ("debtor", {"conversation_id": "c3", "text": "bonjour", "case_reference": {"a": 1}}),
        ("debtor", {"conversation_id": "x" * 500, "text": "bonjour"}),
        ("debtor", ["pas", "un", "objet"]),
        ("agent", {"conversation_id": "c3", "text": "Bonjour", "send": "oui"}),
        ("agent", {"conversation_id": "c3\n\x00", "text": "Bonjour"}),
        ("agent", {"text": "Bonjour"}),
    ],
)
async def test_bad_requests_get_a_french_400_and_write_nothing(
    server: tuple[str, FakeAgent], route: str, body: Any
) -> None:
    url, agent = server
    status, answer = await _call(f"{url}/{route}", body)
    assert status == 400 and answer["erreur"].startswith(("attendu", "référence"))
    assert agent.parsed == [] and list(await agent.tracker_store.keys()) == []


async def test_malformed_json_is_a_400(server: tuple[str, FakeAgent]) -> None:
    url, agent = server
    status, answer = await _call(f"{url}/debtor", raw=b'{"conversation_id": "c4", "text": ')
    assert status == 400 and "attendu" in answer["erreur"]
    assert agent.parsed == []


@pytest.mark.parametrize("token", [None, "faux", TOKEN + "x"])
async def test_every_route_but_the_health_check_needs_the_token(
    server: tuple[str, FakeAgent], token: str | None
) -> None:
    url, agent = server
    for route, body in (
        ("session", None),
        ("debtor", {"conversation_id": "c5", "text": "bonjour"}),
        ("agent", {"conversation_id": "c5", "text": "bonjour"}),
        ("conversation/c5", None),
        (f"case/{REFERENCE}", None),
    ):
        status, answer = await _call(f"{url}/{route}", body, token=token)
        assert status == 401 and answer == {"erreur": "jeton manquant ou invalide"}, route
    assert (await _call(f"{url}/", token=None))[0] == 200
    assert (await _call(f"{url}/session"))[0] == 200
    assert agent.parsed == []


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("debtor", {"conversation_id": "c6", "text": "je ne peux pas \ud800 payer"}),
        ("debtor", {"conversation_id": "c6", "text": "\udfff"}),
        ("debtor", {"conversation_id": "c6", "text": "\x00\x1b\x7f"}),
        ("agent", {"conversation_id": "c6", "text": "Comment puis-je vous aider \ud83d ?", "send": True}),
    ],
)
async def test_invalid_unicode_or_bare_control_characters_are_a_400_and_write_nothing(
    server: tuple[str, FakeAgent], route: str, body: dict[str, Any]
) -> None:
    url, agent = server
    status, answer = await _call(f"{url}/{route}", body)
    assert status == 400 and "Unicode valide" in answer["erreur"]
    assert agent.parsed == [] and list(await agent.tracker_store.keys()) == []


async def test_control_characters_in_a_debtor_message_become_spaces(server: tuple[str, FakeAgent]) -> None:
    url, agent = server
    status, _ = await _call(f"{url}/debtor", {"conversation_id": "c7", "text": "je ne\x00peux pas\x1b[31m payer"})
    assert status == 200 and agent.parsed == ["je ne peux pas [31m payer"]
    _, listed = await _call(f"{url}/conversation/c7")
    assert [turn["text"] for turn in listed["turns"]] == ["je ne peux pas [31m payer"]


@pytest.mark.parametrize("since", ["²", "%D9%A3", "-1", "1.5", "9" * 30, "%00"])
async def test_since_must_be_ascii_digits(server: tuple[str, FakeAgent], since: str) -> None:
    url, _ = server
    status, answer = await _call(f"{url}/conversation/c8?since={since}")
    assert status == 400 and answer["erreur"].startswith("attendu")


async def test_the_conversation_id_in_the_path_is_percent_decoded(server: tuple[str, FakeAgent]) -> None:
    url, _ = server
    await _call(f"{url}/debtor", {"conversation_id": "dossier été/1", "text": "bonjour"})
    status, listed = await _call(f"{url}/conversation/dossier%20%C3%A9t%C3%A9%2F1")
    assert status == 200 and listed["conversation_id"] == "dossier été/1" and len(listed["turns"]) == 1
    for undecodable in ("%FF", "%ED%A0%80", "%00"):
        assert (await _call(f"{url}/conversation/{undecodable}"))[0] == 400


@pytest.mark.parametrize("reference", [12, True, ["REC-2024-000001"], "R" * 5000, "REC-2024-000001\x00"])
async def test_a_bad_case_reference_is_refused_without_echoing_it(
    server: tuple[str, FakeAgent], reference: Any
) -> None:
    url, agent = server
    body = {"conversation_id": "c9", "text": "bonjour", "case_reference": reference}
    status, answer = await _call(f"{url}/debtor", body)
    assert status == 400 and answer == {"erreur": "référence invalide (format attendu : REC-AAAA-NNNNNN)"}
    assert agent.parsed == [] and list(await agent.tracker_store.keys()) == []
    status, answer = await _call(f"{url}/case/{'R' * 5000}")
    assert status == 400 and "RRRR" not in answer["erreur"]


def _monthly_plans(turn: dict[str, Any]) -> list[list[float]]:
    return [
        [float(line["amount"]) for line in s["details"]["schedule"]]
        for s in turn["suggestions"]
        if s["kind"] == "proposition" and len(s["details"].get("schedule") or []) > 1
    ]


async def test_an_amount_said_earlier_in_the_conversation_shapes_the_options(server: tuple[str, FakeAgent]) -> None:
    url, _ = server
    _, alone = await _call(f"{url}/debtor", {"conversation_id": "c8", "case_reference": REFERENCE, "text": "bonjour"})
    await _call(f"{url}/debtor", {"conversation_id": "c9", "case_reference": REFERENCE, "text": OFFER})
    _, later = await _call(f"{url}/debtor", {"conversation_id": "c9", "case_reference": REFERENCE, "text": "bonjour"})
    assert any(max(plan) > 40 for plan in _monthly_plans(alone))  # nothing said: plans above 40 € a month
    assert _monthly_plans(later) and all(max(plan) <= 40 for plan in _monthly_plans(later))
