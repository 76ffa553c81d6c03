"""The REST channel: length limit, the apology when a turn fails (nothing of it kept), and the message_id
idempotency key (a retried message is answered the same, without being processed again)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
import redis
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore
from rasa.utils.endpoints import ClientResponseError, EndpointConfig
from sanic import Sanic, response

from bot.channels.rest import (
    APOLOGY,
    BAD_INPUT_CHANNEL,
    BAD_MESSAGE,
    BAD_MESSAGE_ID,
    BAD_METADATA,
    BAD_SENDER,
    NOT_AN_OBJECT,
    REUSED_MESSAGE_ID,
    ActionServerUnavailable,
    GuardedActionEndpoint,
    InMemorySeenMessages,
    LimitedRestInput,
    RedisSeenMessages,
    guard_actions,
    seen_messages_for,
)
from bot.compliance.check import check_text
from bot.identification.limits import TOO_LONG
from tests.bot.channels.serving import free_port, running_app


@dataclass
class FakeProcessor:
    action_endpoint: EndpointConfig


@dataclass
class FakeAgent:
    """Stands for Rasa's agent: says what it is told, calls the action endpoint for messages naming an action,
    and "saves the tracker" (records the message) only when the whole turn went through."""

    processor: FakeProcessor
    lock_store: Any = field(default_factory=InMemoryLockStore)
    handled: list[str] = field(default_factory=list)
    saved: list[str] = field(default_factory=list)

    async def handle_message(self, message: UserMessage) -> None:
        self.handled.append(message.text or "")
        await message.output_channel.send_text_message(message.sender_id, f"reçu : {message.text}")
        if message.text and message.text.startswith("action"):
            try:
                await self.processor.action_endpoint.request(json={}, subpath=message.text.split()[-1])
            except ClientResponseError as error:  # as Rasa does: 400 is a form rejecting the turn, not a failure
                if error.status != 400:
                    raise
        if message.text == "panne":
            raise RuntimeError("the pipeline broke")
        if message.text == "lent":
            await asyncio.sleep(0.2)
        self.saved.append(message.text or "")


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[str, FakeAgent]]:
    """The channel registered as `rasa run` does, with a fake agent; the app also plays the action server
    (/actions/ok, /actions/rejected, /actions/broken), the agent's action endpoint."""
    agents: list[FakeAgent] = []

    def prepare(app: Sanic, port: int) -> None:
        @app.post("/actions/<kind>")
        async def actions(_: Any, kind: str) -> Any:
            status = {"ok": 200, "rejected": 400, "broken": 500}[kind]
            return response.json({"events": [], "responses": [], "action_name": "x"}, status=status)

        agents.append(FakeAgent(FakeProcessor(EndpointConfig(f"http://127.0.0.1:{port}/actions"))))
        app.ctx.agent = agents[0]

    async with running_app(monkeypatch, [LimitedRestInput()], prepare=prepare) as base:
        yield f"{base}/webhooks/rest/webhook", agents[0]


async def _post(url: str, body: Any) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as session, session.post(url, json=body) as answer:
        return answer.status, await answer.json()


def _texts(replies: list[dict[str, Any]]) -> list[str]:
    return [reply["text"] for reply in replies]


async def test_a_message_is_processed_and_answered(server: tuple[str, FakeAgent]) -> None:
    url, agent = server
    status, replies = await _post(url, {"sender": "s1", "message": "bonjour"})
    assert (status, _texts(replies)) == (200, ["reçu : bonjour"])
    assert agent.saved == ["bonjour"]


async def test_a_too_long_message_is_not_processed(server: tuple[str, FakeAgent]) -> None:
    url, agent = server
    status, replies = await _post(url, {"sender": "s1", "message": "a" * 5000})
    assert (status, _texts(replies)) == (200, [TOO_LONG]) and agent.handled == []


async def test_an_unreachable_action_server_gets_the_apology_and_nothing_is_saved(
    server: tuple[str, FakeAgent],
) -> None:
    url, agent = server
    agent.processor.action_endpoint = EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")  # nobody there
    status, replies = await _post(url, {"sender": "s1", "message": "action webhook"})
    assert (status, _texts(replies)) == (200, [APOLOGY])  # what the turn had said before the failure is dropped
    assert agent.handled == ["action webhook"] and agent.saved == []
    assert isinstance(agent.processor.action_endpoint, GuardedActionEndpoint)


async def test_an_action_server_error_gets_the_apology_but_a_form_rejection_does_not(
    server: tuple[str, FakeAgent],
) -> None:
    url, agent = server
    assert _texts((await _post(url, {"sender": "s1", "message": "action broken"}))[1]) == [APOLOGY]
    assert _texts((await _post(url, {"sender": "s1", "message": "action rejected"}))[1]) == ["reçu : action rejected"]
    assert _texts((await _post(url, {"sender": "s1", "message": "action ok"}))[1]) == ["reçu : action ok"]
    assert agent.saved == ["action rejected", "action ok"]


async def test_outside_a_rest_turn_the_endpoint_keeps_rasas_errors(server: tuple[str, FakeAgent]) -> None:
    url, agent = server
    base = agent.processor.action_endpoint.url
    guarded = GuardedActionEndpoint.around(EndpointConfig(base, token="t"))
    with pytest.raises(ClientResponseError) as rejected:
        await guarded.request(json={}, subpath="rejected")
    assert rejected.value.status == 400
    with pytest.raises(ClientResponseError):
        await guarded.request(json={}, subpath="broken")
    unreachable = GuardedActionEndpoint.around(EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook"))
    with pytest.raises(aiohttp.ClientConnectionError):
        await unreachable.request(json={})


async def test_a_failing_pipeline_gets_the_apology(server: tuple[str, FakeAgent]) -> None:
    url, agent = server
    status, replies = await _post(url, {"sender": "s1", "message": "panne"})
    assert (status, _texts(replies)) == (200, [APOLOGY]) and agent.saved == []


async def test_a_retried_message_id_gets_the_same_replies_without_processing(server: tuple[str, FakeAgent]) -> None:
    url, agent = server
    first = await _post(url, {"sender": "s1", "message": "oui", "message_id": "m-1"})
    again = await _post(url, {"sender": "s1", "message": "oui", "message_id": "m-1"})
    assert first == again == (200, first[1]) and _texts(first[1]) == ["reçu : oui"]
    assert agent.handled == ["oui"]
    other_sender = await _post(url, {"sender": "s2", "message": "oui", "message_id": "m-1"})
    assert other_sender[0] == 200 and agent.handled == ["oui", "oui"]  # ids are per conversation
    await _post(url, {"sender": "s1", "message": "oui"})  # no id: always processed
    assert agent.handled == ["oui", "oui", "oui"]


async def test_concurrent_retries_are_processed_once(server: tuple[str, FakeAgent]) -> None:
    url, agent = server
    body = {"sender": "s1", "message": "lent", "message_id": "m-2"}
    answers = await asyncio.gather(*(_post(url, body) for _ in range(3)))
    assert all(answer == answers[0] for answer in answers) and answers[0][0] == 200
    assert agent.handled == ["lent"]


async def test_a_failed_turn_is_not_remembered_so_the_retry_is_processed(server: tuple[str, FakeAgent]) -> None:
    url, agent = server
    for _ in range(2):
        status, replies = await _post(url, {"sender": "s1", "message": "panne", "message_id": "m-3"})
        assert (status, _texts(replies)) == (200, [APOLOGY])
    assert agent.handled == ["panne", "panne"]


async def test_a_message_id_reused_for_another_text_is_refused(server: tuple[str, FakeAgent]) -> None:
    url, agent = server
    await _post(url, {"sender": "s1", "message": "oui", "message_id": "m-5"})
    status, answer = await _post(url, {"sender": "s1", "message": "non", "message_id": "m-5"})
    assert (status, answer) == (409, {"erreur": REUSED_MESSAGE_ID}) and agent.handled == ["oui"]


@pytest.mark.parametrize("message_id", ["", "   ", "x" * 129, True, [1], {"id": 1}, 1.5])
async def test_a_malformed_message_id_is_a_400(server: tuple[str, FakeAgent], message_id: Any) -> None:
    url, agent = server
    status, answer = await _post(url, {"sender": "s1", "message": "oui", "message_id": message_id})
    assert (status, answer) == (400, {"erreur": BAD_MESSAGE_ID}) and agent.handled == []


@pytest.mark.parametrize("body", [[], ["oui"], "oui", 3, None])
async def test_a_body_that_is_not_an_object_is_a_400(server: tuple[str, FakeAgent], body: Any) -> None:
    url, agent = server
    status, answer = await _post(url, body)
    assert (status, answer) == (400, {"erreur": NOT_AN_OBJECT}) and agent.handled == []


async def test_an_integer_message_id_is_accepted(server: tuple[str, FakeAgent]) -> None:
    url, agent = server
    await _post(url, {"sender": "s1", "message": "oui", "message_id": 42})
    await _post(url, {"sender": "s1", "message": "oui", "message_id": "42"})
    assert agent.handled == ["oui"]


def test_the_action_endpoint_is_wrapped_once_and_keeps_its_settings() -> None:
    endpoint = EndpointConfig("http://actions:5055/webhook", token="secret", headers={"X-A": "1"}, cafile=None)
    agent = FakeAgent(FakeProcessor(endpoint))
    guard_actions(agent)
    wrapped = agent.processor.action_endpoint
    assert isinstance(wrapped, GuardedActionEndpoint) and wrapped == endpoint
    guard_actions(agent)
    assert agent.processor.action_endpoint is wrapped
    guard_actions(None)  # no agent loaded yet: nothing to do


def test_the_in_memory_store_forgets_the_least_recently_used() -> None:
    seen = InMemorySeenMessages(capacity=2)
    seen.put("a", {"text": "1", "replies": []})
    seen.put("b", {"text": "2", "replies": []})
    assert seen.get("a") is not None  # "a" used: "b" is now the oldest
    seen.put("c", {"text": "3", "replies": []})
    assert len(seen) == 2 and seen.get("b") is None and seen.get("a") is not None and seen.get("c") is not None


def test_the_seen_messages_follow_the_lock_store() -> None:
    assert isinstance(seen_messages_for(InMemoryLockStore()), InMemorySeenMessages)
    assert isinstance(seen_messages_for(None), InMemorySeenMessages)
    shared = seen_messages_for(RedisLockStore(host="127.0.0.1", port=6379, db=0, key_prefix="amiableunit"))
    assert isinstance(shared, RedisSeenMessages) and shared.prefix == "amiableunit:rest:"


def test_redis_keeps_the_answers_with_an_expiry() -> None:
    client = redis.Redis(host="127.0.0.1", port=6379, db=0)
    prefix = f"amiableunit{uuid.uuid4().hex[:8]}:rest:"
    seen = RedisSeenMessages(client, prefix, ttl=600)
    try:
        assert seen.get("s1:m1") is None
        seen.put("s1:m1", {"text": "abc", "replies": [{"recipient_id": "s1", "text": "Réponse é"}]})
        assert seen.get("s1:m1") == {"text": "abc", "replies": [{"recipient_id": "s1", "text": "Réponse é"}]}
        assert 0 < client.ttl(f"{prefix}s1:m1") <= 600
    finally:
        client.delete(f"{prefix}s1:m1")
        client.close()


def test_the_apology_is_short_french_and_compliant() -> None:
    assert check_text(APOLOGY) == [] and len(APOLOGY) < 120 and APOLOGY.endswith("?")
    assert issubclass(ActionServerUnavailable, BaseException) and not issubclass(ActionServerUnavailable, Exception)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"message": "bonjour"}, BAD_SENDER),
        ({"sender": "", "message": "bonjour"}, BAD_SENDER),
        ({"sender": "   ", "message": "bonjour"}, BAD_SENDER),
        ({"sender": 12, "message": "bonjour"}, BAD_SENDER),
        ({"sender": "s\x00", "message": "bonjour"}, BAD_SENDER),
        ({"sender": "x" * 129, "message": "bonjour"}, BAD_SENDER),
        ({"sender": "s1"}, BAD_MESSAGE),
        ({"sender": "s1", "message": 12}, BAD_MESSAGE),
        ({"sender": "s1", "message": ["bonjour"]}, BAD_MESSAGE),
        ({"sender": "s1", "message": None}, BAD_MESSAGE),
        ({"sender": "s1", "message": " \x00\x1b "}, BAD_MESSAGE),
        ({"sender": "s1", "message": "oui", "metadata": ["a"]}, BAD_METADATA),
        ({"sender": "s1", "message": "oui", "input_channel": "assist; drop"}, BAD_INPUT_CHANNEL),
    ],
)
async def test_malformed_fields_are_a_french_400_and_nothing_is_processed(
    server: tuple[str, FakeAgent], body: dict[str, Any], expected: str
) -> None:
    url, agent = server
    status, answer = await _post(url, body)
    assert (status, answer) == (400, {"erreur": expected}) and agent.handled == []


async def test_control_characters_never_reach_the_bot(server: tuple[str, FakeAgent]) -> None:
    url, agent = server
    status, _ = await _post(url, {"sender": "s1", "message": "je\x00 ne peux\x1b pas\x7f payer"})
    assert status == 200 and agent.handled == ["je  ne peux  pas  payer"]
