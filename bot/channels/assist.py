"""Agent assist over HTTP, as a Rasa input channel (declared in credentials.yml), token-protected.

Routes (under /webhooks/assist):

- POST /debtor {"conversation_id", "text", "case_reference"?} → the message's intent, emotion, entities, alerts
  and suggestions (`bot.assist.suggest.debtor_turn`); the debtor's turn is recorded in the conversation's Rasa
  tracker with its suggestions, so suggestions follow the conversation and the console can show them again.
- POST /agent {"conversation_id", "text", "send": bool} → the draft's act, compliance verdict and a compliant
  rewrite when it fails; a compliant draft sent is recorded in the tracker as the agent's turn (a failing one is
  never recorded: `sent` is false).
- GET /conversation/<conversation_id>?since=N → the turns from index N (debtor, agent or assistant), each debtor
  turn with the suggestions computed for it: what the agent console polls.
- GET /case/<reference> → the console's case panel (amount due, breakdown, arrangements, history).
- GET /session → 200 when the token is valid (the console's login).

The token is Rasa's API token (`AMIABLE_API_TOKEN`), given as `Authorization: Bearer` or `?token=`.
Hostile input gets a French JSON `{"erreur": …}` with a 4xx and writes nothing: texts must be valid Unicode (their
control characters become spaces), identifiers printable, references strings of the expected format.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.assist import load_classifier
from bot.assist.cache import TimedCache
from bot.assist.case_panel import case_panel
from bot.assist.conversation import conversation_turns
from bot.assist.heard import heard
from bot.assist.peers import choices_of_similar_debtors
from bot.assist.suggest import check_draft, debtor_turn
from bot.cases.schemas import CaseView, normalise_reference
from bot.cases.store import CaseStore
from bot.channels.http import (
    UNAUTHORISED,
    authorised,
    error,
    install_error_pages,
    json_object,
    path_parameter,
    text_field,
)
from bot.journal import Journal
from bot.listening.nlp import warm_up
from bot.nlu.reference_date import reference_date

MAX_TEXT = 2000
MAX_CONVERSATION_ID = 128
MAX_REFERENCE = 32  # REC-AAAA-NNNNNN with room for spaces; longer is never a reference
MAX_SINCE_DIGITS = 9
BAD_REFERENCE = "référence invalide (format attendu : REC-AAAA-NNNNNN)"
EXPECTED_DEBTOR_TURN = "attendu : {conversation_id, text, case_reference?} (textes non vides, Unicode valide)"
EXPECTED_AGENT_DRAFT = "attendu : {conversation_id, text, send?: booléen} (textes non vides, Unicode valide)"
CASE_TTL_SECONDS = 15.0  # a case seldom changes during a chat; the panel itself is always read fresh
PEERS_TTL_SECONDS = 300.0
AGENT_AUTHOR = "agent"


def _conversation_id(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_CONVERSATION_ID:
        return None
    return value.strip() if value.strip().isprintable() else None


def _reference(value: Any) -> str:
    """The normalised case reference; ValueError with a French message (never echoing a huge or odd value)."""
    if not isinstance(value, str) or len(value) > MAX_REFERENCE or not value.isprintable():
        raise ValueError(BAD_REFERENCE)
    return normalise_reference(value)


def _since(value: str) -> int | None:
    """The first turn index asked for (ASCII digits only: "²" or "٣" are digits to Python, not to `int`)."""
    if not value.isascii() or not value.isdigit() or len(value) > MAX_SINCE_DIGITS:
        return None
    return int(value)


class AgentAssistInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "assist"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        assist = Blueprint("amiable_agent_assist")
        assist.listener("before_server_start")(install_error_pages)
        classifier = load_classifier()  # once, at start-up
        store = CaseStore()
        journal = Journal(store)
        cases: TimedCache[CaseView] = TimedCache(CASE_TTL_SECONDS)
        warm_up()  # spaCy loaded at start-up, not on the first debtor message
        peers: TimedCache[dict[str, int]] = TimedCache(PEERS_TTL_SECONDS)

        async def case_of(reference: str) -> CaseView | None:
            case = cases.get(reference)
            if case is None:
                case = await asyncio.to_thread(store.case_view, reference)
                if case is not None:
                    cases.put(reference, case)
            return case

        async def chosen_by_peers(creditor_name: str) -> dict[str, int]:
            chosen = peers.get(creditor_name)
            if chosen is None:
                chosen = await asyncio.to_thread(choices_of_similar_debtors, store, creditor_name)
                peers.put(creditor_name, chosen)
            return chosen

        @assist.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json(
                {
                    "status": "ok",
                    "routes": [
                        "POST /debtor",
                        "POST /agent",
                        "GET /conversation/<id>",
                        "GET /case/<reference>",
                        "GET /session",
                    ],
                }
            )

        @assist.route("/session", methods=["GET"])
        async def session(request: Request) -> HTTPResponse:
            if not authorised(request):
                return error(UNAUTHORISED, 401)
            return response.json({"status": "ok"})

        @assist.route("/debtor", methods=["POST"])
        async def debtor(request: Request) -> HTTPResponse:
            if not authorised(request):
                return error(UNAUTHORISED, 401)
            body = json_object(request)
            conversation_id = _conversation_id(body.get("conversation_id")) if body else None
            text = text_field(body, "text") if body else None
            if body is None or conversation_id is None or text is None:
                return error(EXPECTED_DEBTOR_TURN, 400)
            case, chosen_by, reference = None, {}, body.get("case_reference")
            if reference not in (None, ""):
                try:
                    reference = _reference(reference)
                except ValueError as invalid:
                    return error(str(invalid), 400)
                case = await case_of(reference)
                if case is None:
                    return error(f"dossier inconnu : {reference}", 404)
                chosen_by = await chosen_by_peers(case.creditor_name)
            text = text[:MAX_TEXT]
            agent = request.app.ctx.agent
            parse = await agent.parse_message(text)
            async with agent.lock_store.lock(conversation_id):
                tracker = await agent.processor.get_tracker(conversation_id)
                earlier = [event.parse_data or {} for event in tracker.events if isinstance(event, UserUttered)]
                emotions = [(data.get("emotion") or {}).get("name") for data in earlier]
                so_far = heard([*earlier, parse])  # the amount and pay day said so far shape the options
                turn = debtor_turn(
                    parse,
                    case=case,
                    emotions_before=[e for e in emotions if e],
                    capacity=so_far.capacity,
                    pay_day=so_far.pay_day,
                    today=reference_date(),
                    chosen_by=chosen_by,
                )
                metadata = {"assist": turn.as_dict(), "case_reference": case.reference if case else None}
                tracker.update(UserUttered(text, parse_data=parse, input_channel=self.name(), metadata=metadata))
                await agent.processor.save_tracker(tracker)
            return response.json(turn.as_dict())

        @assist.route("/agent", methods=["POST"])
        async def agent_draft(request: Request) -> HTTPResponse:
            if not authorised(request):
                return error(UNAUTHORISED, 401)
            body = json_object(request)
            conversation_id = _conversation_id(body.get("conversation_id")) if body else None
            text = text_field(body, "text") if body else None
            send = body.get("send", False) if body else False
            if body is None or conversation_id is None or text is None or not isinstance(send, bool):
                return error(EXPECTED_AGENT_DRAFT, 400)
            text = text[:MAX_TEXT]
            verdict = check_draft(text, classifier)
            sent = send and verdict.compliant
            if sent:
                agent = request.app.ctx.agent
                async with agent.lock_store.lock(conversation_id):
                    tracker = await agent.processor.get_tracker(conversation_id)
                    tracker.update(BotUttered(text, metadata={"author": AGENT_AUTHOR, "act": verdict.act}))
                    await agent.processor.save_tracker(tracker)
            return response.json({**verdict.as_dict(), "sent": sent})

        @assist.route("/conversation/<conversation_id>", methods=["GET"])
        async def conversation(request: Request, conversation_id: str) -> HTTPResponse:
            if not authorised(request):
                return error(UNAUTHORISED, 401)
            conversation_id = _conversation_id(path_parameter(conversation_id))
            since = _since(request.args.get("since", "0"))
            if conversation_id is None or since is None:
                return error("attendu : /conversation/<identifiant>?since=<entier positif>", 400)
            tracker = await request.app.ctx.agent.tracker_store.retrieve(conversation_id)
            turns = conversation_turns(tracker.events if tracker else [], since=since)
            return response.json({"conversation_id": conversation_id, "turns": turns})

        @assist.route("/case/<reference>", methods=["GET"])
        async def case_route(request: Request, reference: str) -> HTTPResponse:
            if not authorised(request):
                return error(UNAUTHORISED, 401)
            try:
                reference = _reference(path_parameter(reference))
            except ValueError as invalid:
                return error(str(invalid), 400)
            case = await asyncio.to_thread(store.case_view, reference)
            if case is None:
                return error(f"dossier inconnu : {reference}", 404)
            cases.put(reference, case)
            entries = await asyncio.to_thread(journal.entries, reference)
            return response.json(case_panel(case, entries))

        return assist
