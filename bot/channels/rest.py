"""The REST channel (declared as `bot.channels.rest.LimitedRestInput` in credentials.yml; same URL as Rasa's own:
POST /webhooks/rest/webhook), made safe for production:

- a message longer than `AMIABLE_MAX_MESSAGE_CHARS` gets a polite answer and never reaches the language
  understanding or the tracker store;
- a turn that fails (the action server is down or answers an error, the pipeline raises) gets a short French
  apology instead of silence, and is abandoned before Rasa saves the tracker: nothing of it is written, and the
  same message sent again once the fault is over is processed normally;
- an optional `"message_id"` in the JSON body is an idempotency key: a message already processed for that
  sender is not processed again, the same replies are returned. The processed ids are kept in Redis when the
  lock store is Redis (shared by every Rasa server, see deploy/), else in a bounded in-memory LRU.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import inspect
import json
import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import aiohttp
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import ClientResponseError, EndpointConfig, bool_arg
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from bot.channels import action_validation
from bot.channels.http import clean_text, error, json_object
from bot.identification.limits import too_long

logger = logging.getLogger(__name__)
action_validation.install()  # the action server's answers checked without re-checking the schema each time

APOLOGY = "Désolé, je rencontre un problème technique. Pouvez-vous renvoyer votre message dans un instant ?"
NOT_AN_OBJECT = 'Le corps de la requête doit être un objet JSON : {"sender": "…", "message": "…"}.'
BAD_SENDER = (
    "« sender » doit identifier la conversation : une chaîne de 1 à 128 caractères, sans caractère de contrôle."
)
BAD_MESSAGE = "« message » doit être un texte non vide."
BAD_METADATA = "« metadata » doit être un objet JSON."
BAD_INPUT_CHANNEL = "« input_channel » doit être un nom de canal (lettres minuscules et _, 32 caractères au plus)."
MAX_SENDER = 128
INPUT_CHANNEL = re.compile(r"^[a-z_]{1,32}$")
BAD_MESSAGE_ID = "« message_id » doit être une chaîne de 1 à 128 caractères (ou un entier)."
REUSED_MESSAGE_ID = "Ce « message_id » a déjà servi pour un autre message de cette conversation."
MAX_MESSAGE_ID = 128
SEEN_IN_MEMORY = 10_000  # processed (sender, message_id) kept per process when there is no Redis
SEEN_TTL_SECONDS = 3600  # how long a processed message_id (and its replies: personal data) stays in Redis
REJECTED_BY_FORM = 400  # the action server's "rejected" answer (a form validation), part of Rasa's protocol

Handler = Callable[[UserMessage], Awaitable[Any]]

# Set while this channel processes a turn: only then does a failing action abort the turn (other channels keep
# Rasa's behaviour, which goes on without the action's events).
_STRICT_TURN: contextvars.ContextVar[bool] = contextvars.ContextVar("amiable_strict_turn", default=False)


class ActionServerUnavailable(BaseException):
    """A custom action could not run (server down, timeout, error answer).

    A BaseException on purpose: Rasa's processor catches every `Exception` raised by an action, logs it and goes
    on without the action's events, then saves that half-done turn in the tracker store. This one crosses the
    processor, so the turn ends before the tracker is saved; the channel answers the apology.
    """


class GuardedActionEndpoint(EndpointConfig):
    """The action endpoint, raising `ActionServerUnavailable` on a failed call during a REST channel turn."""

    @classmethod
    def around(cls, endpoint: EndpointConfig) -> GuardedActionEndpoint:
        guarded = cls(
            endpoint.url,
            endpoint.params,
            endpoint.headers,
            endpoint.basic_auth,
            endpoint.token,
            endpoint.token_name,
            endpoint.cafile,
            **endpoint.kwargs,
        )
        guarded.type = endpoint.type
        return guarded

    async def request(self, *arguments: Any, **options: Any) -> Any:
        try:
            return await super().request(*arguments, **options)
        except ClientResponseError as error:
            if error.status == REJECTED_BY_FORM or not _STRICT_TURN.get():
                raise
            raise ActionServerUnavailable(f"action server answered {error.status}") from error
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            if not _STRICT_TURN.get():
                raise
            raise ActionServerUnavailable(f"action server unreachable: {type(error).__name__}") from error


def guard_actions(agent: Any) -> None:
    """Wraps the agent's action endpoint once (again after a model reload, which builds a new processor)."""
    processor = getattr(agent, "processor", None)
    endpoint = getattr(processor, "action_endpoint", None)
    if isinstance(endpoint, EndpointConfig) and not isinstance(endpoint, GuardedActionEndpoint):
        processor.action_endpoint = GuardedActionEndpoint.around(endpoint)


class SeenMessages(Protocol):
    """What was answered to each processed (sender, message_id)."""

    def get(self, key: str) -> dict[str, Any] | None: ...

    def put(self, key: str, answer: dict[str, Any]) -> None: ...


class InMemorySeenMessages:
    """The last `capacity` answers of this process (least recently used forgotten first)."""

    def __init__(self, capacity: int = SEEN_IN_MEMORY) -> None:
        self.capacity = capacity
        self._answers: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def get(self, key: str) -> dict[str, Any] | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def put(self, key: str, answer: dict[str, Any]) -> None:
        self._answers[key] = answer
        self._answers.move_to_end(key)
        while len(self._answers) > self.capacity:
            self._answers.popitem(last=False)

    def __len__(self) -> int:
        return len(self._answers)


class RedisSeenMessages:
    """Answers kept in Redis (shared by every Rasa server), forgotten after `ttl` seconds."""

    def __init__(self, client: Any, prefix: str, ttl: int = SEEN_TTL_SECONDS) -> None:
        self.client, self.prefix, self.ttl = client, prefix, ttl

    def get(self, key: str) -> dict[str, Any] | None:
        raw = self.client.get(self.prefix + key)
        return json.loads(raw) if raw else None

    def put(self, key: str, answer: dict[str, Any]) -> None:
        self.client.set(self.prefix + key, json.dumps(answer, ensure_ascii=False), ex=self.ttl)


def seen_messages_for(lock_store: LockStore | None) -> SeenMessages:
    """Redis when the lock store is Redis (same server, same key prefix), else an in-memory LRU."""
    if isinstance(lock_store, RedisLockStore):
        base = lock_store.key_prefix.removesuffix("lock:")
        return RedisSeenMessages(lock_store.red, f"{base}rest:")
    return InMemorySeenMessages()


def _message_id(body: dict[str, Any]) -> str | None:
    """The client's idempotency key; ValueError when present but malformed."""
    value = body.get("message_id")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(value)
    text = str(value).strip()
    if not 1 <= len(text) <= MAX_MESSAGE_ID:
        raise ValueError(value)
    return text


def _problem(body: dict[str, Any]) -> str | None:
    """What is wrong with a message's fields, in French; None when they can be processed. Without this, Rasa files a
    message without a sender under its shared "default" conversation and fails (500) on a message that is not a
    text."""
    sender = body.get("sender")
    if not isinstance(sender, str) or not 1 <= len(sender.strip()) <= MAX_SENDER or clean_text(sender) != sender:
        return BAD_SENDER
    if clean_text(body.get("message")) is None:
        return BAD_MESSAGE
    if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
        return BAD_METADATA
    channel = body.get("input_channel")
    if channel is not None and not (isinstance(channel, str) and INPUT_CHANNEL.match(channel)):
        return BAD_INPUT_CHANNEL
    return None


def _fingerprint(text: str | None) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()[:16]


class LimitedRestInput(RestInput):
    def __init__(self) -> None:
        super().__init__()
        self._seen: SeenMessages | None = None
        self._seen_for: int | None = None
        self._local_locks = InMemoryLockStore()  # when no agent is loaded (tests of the channel alone)

    @classmethod
    def name(cls) -> str:
        return "rest"

    def seen_messages(self, lock_store: LockStore | None) -> SeenMessages:
        if self._seen is None or self._seen_for != id(lock_store):
            self._seen, self._seen_for = seen_messages_for(lock_store), id(lock_store)
        return self._seen

    @staticmethod
    def guarded(on_new_message: Handler) -> Callable[[UserMessage], Awaitable[bool]]:
        """The turn with the length limit and the apology; True when it was processed, False when it failed."""

        async def handle(message: UserMessage) -> bool:
            output = message.output_channel
            answer = too_long(message.text)
            if answer is not None:
                await output.send_text_message(message.sender_id, answer)
                return True
            strict = _STRICT_TURN.set(True)
            try:
                await on_new_message(message)
                return True
            except ActionServerUnavailable as error:
                logger.warning("Turn abandoned, nothing saved (%s): the debtor is asked to resend.", error)
            except Exception:  # noqa: BLE001 (any failure of the pipeline: the debtor gets an answer, not silence)
                logger.exception("Turn failed, nothing saved: the debtor is asked to resend.")
            finally:
                _STRICT_TURN.reset(strict)
            if isinstance(getattr(output, "messages", None), list):
                output.messages.clear()  # what the abandoned turn had said is said again when it is resent
            await output.send_text_message(message.sender_id, APOLOGY)
            return False

        return handle

    async def _once(
        self, agent: Any, message: UserMessage, handle: Callable[[UserMessage], Awaitable[bool]]
    ) -> HTTPResponse:
        """Processes a message carrying a message_id unless it was already processed for that sender."""
        lock_store = getattr(agent, "lock_store", None)
        seen = self.seen_messages(lock_store)
        key = f"{message.sender_id}:{message.message_id}"
        async with (lock_store or self._local_locks).lock(f"{key}:rest"):  # a concurrent retry waits here
            earlier = seen.get(key)
            if earlier is not None:
                if earlier["text"] != _fingerprint(message.text):
                    return error(REUSED_MESSAGE_ID, 409)
                return response.json(earlier["replies"])
            collector = message.output_channel
            if await handle(message):
                seen.put(key, {"text": _fingerprint(message.text), "replies": collector.messages})
            return response.json(collector.messages)

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", module.__name__ if module else None)
        handle = self.guarded(on_new_message)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse | ResponseStream:
            body = json_object(request)
            if body is None:
                return error(NOT_AN_OBJECT, 400)
            problem = _problem(body)
            if problem is not None:
                return error(problem, 400)
            try:
                message_id = _message_id(body)
            except ValueError:
                return error(BAD_MESSAGE_ID, 400)
            agent = getattr(request.app.ctx, "agent", None)
            guard_actions(agent)
            sender_id = body["sender"].strip()
            text = clean_text(body["message"])  # control characters become spaces: never read, never echoed
            channel, metadata = self._extract_input_channel(request), self.get_metadata(request)
            if bool_arg(request, "stream", default=False):
                stream = self.stream_response(handle, text, sender_id, channel, metadata)
                return response.stream(stream, content_type="text/event-stream")
            collector = CollectingOutputChannel()
            message = UserMessage(
                text, collector, sender_id, input_channel=channel, message_id=message_id, metadata=metadata
            )
            if message_id is None:
                await handle(message)
                return response.json(collector.messages)
            return await self._once(agent, message, handle)

        return webhook
