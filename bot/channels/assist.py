"""Agent assist over HTTP, as a Rasa input channel (declared in credentials.yml), token-protected:

- POST /webhooks/assist/debtor {"conversation_id", "text", "case_reference"?} → the message's intent, emotion,
  entities, alerts and suggestions (`bot.assist.suggest.debtor_turn`); the debtor's turn is recorded in the
  conversation's Rasa tracker, so suggestions follow the conversation.
- POST /webhooks/assist/agent {"conversation_id", "text", "send": bool} → the draft's act, compliance verdict and
  a compliant rewrite when it fails; a compliant draft sent is recorded in the tracker as the agent's turn.

The token is Rasa's API token (`AMIABLE_API_TOKEN`), given as `?token=` or `Authorization: Bearer`.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings
from bot.assist import load_classifier
from bot.assist.peers import choices_of_similar_debtors
from bot.assist.suggest import check_draft, debtor_turn
from bot.cases.schemas import normalise_reference
from bot.cases.store import CaseStore
from bot.nlu.reference_date import reference_date

MAX_TEXT = 2000


def _authorised(request: Request) -> bool:
    given = request.args.get("token") or request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    return bool(given) and hmac.compare_digest(given.encode(), settings.api_token().encode())


def _error(message: str, status: int) -> HTTPResponse:
    return response.json({"erreur": message}, status=status)


def _body(request: Request) -> dict[str, Any] | None:
    try:
        body = request.json
    except Exception:  # noqa: BLE001 — sanic raises its own error types for bad JSON
        return None
    return body if isinstance(body, dict) else None


class AgentAssistInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "assist"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        assist = Blueprint("amiable_agent_assist")
        classifier = load_classifier()  # once, at start-up
        store = CaseStore()

        @assist.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "routes": ["POST /debtor", "POST /agent"]})

        @assist.route("/debtor", methods=["POST"])
        async def debtor(request: Request) -> HTTPResponse:
            if not _authorised(request):
                return _error("jeton manquant ou invalide", 401)
            body = _body(request)
            if not body or not str(body.get("conversation_id") or "").strip() or not str(body.get("text") or ""):
                return _error("attendu : {conversation_id, text, case_reference?}", 400)
            text = str(body["text"])[:MAX_TEXT]
            agent = request.app.ctx.agent
            parse = await agent.parse_message(text)
            tracker = await agent.processor.get_tracker(str(body["conversation_id"]))
            emotions = [
                (event.parse_data or {}).get("emotion", {}).get("name")
                for event in tracker.events
                if isinstance(event, UserUttered)
            ]
            tracker.update(UserUttered(text, parse_data=parse, input_channel=self.name()))
            await agent.processor.save_tracker(tracker)
            case, chosen_by = None, {}
            if body.get("case_reference"):
                try:
                    reference = normalise_reference(body["case_reference"])
                except ValueError as error:
                    return _error(str(error), 400)
                case = await asyncio.to_thread(store.case_view, reference)
                if case is None:
                    return _error(f"dossier inconnu : {reference}", 404)
                chosen_by = await asyncio.to_thread(choices_of_similar_debtors, store, case.creditor_name)
            turn = debtor_turn(
                parse,
                case=case,
                emotions_before=[e for e in emotions if e],
                today=reference_date(),
                chosen_by=chosen_by,
            )
            return response.json(turn.as_dict())

        @assist.route("/agent", methods=["POST"])
        async def agent_draft(request: Request) -> HTTPResponse:
            if not _authorised(request):
                return _error("jeton manquant ou invalide", 401)
            body = _body(request)
            if not body or not str(body.get("conversation_id") or "").strip() or not str(body.get("text") or ""):
                return _error("attendu : {conversation_id, text, send?}", 400)
            verdict = check_draft(str(body["text"])[:MAX_TEXT], classifier)
            sent = bool(body.get("send")) and verdict.compliant
            if sent:
                agent = request.app.ctx.agent
                tracker = await agent.processor.get_tracker(str(body["conversation_id"]))
                tracker.update(BotUttered(str(body["text"]), metadata={"author": "agent"}))
                await agent.processor.save_tracker(tracker)
            return response.json({**verdict.as_dict(), "sent": sent})

        return assist
