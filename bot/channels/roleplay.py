"""Role-play for trainers in the browser, served by the Rasa server (declared in credentials.yml as
`bot.channels.roleplay.RolePlayInput`): the page at /webhooks/roleplay/ and its token-protected API.

- GET  /scenarios → the shipped scenarios (id, title, persona, situation, goal, briefing).
- POST /sessions {"scenario", "seed"?} → a new session: its id and the debtor's first line.
- POST /sessions/<id>/say {"text"} → the debtor's reply; when the conversation ends, the scorecard.
- POST /sessions/<id>/end → ends the conversation (the trainee stops) and gives the scorecard.
- GET  /sessions/<id>/scorecard → the scorecard as a self-contained HTML page (to keep or print).

Sessions live in this server's memory (a role-play holds no debtor data); behind several servers, route a
trainer to one server (sticky sessions).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.assist import load_classifier
from bot.channels import ROLEPLAY_ROUTE
from bot.channels.http import (
    UNAUTHORISED,
    authorised,
    error,
    install_error_pages,
    json_object,
    text_field,
    valid_unicode,
)
from bot.channels.pages import CSS, HTML, JS, Asset, StaticPage
from bot.roleplay.registry import SessionRegistry
from bot.roleplay.report import scorecard_html
from bot.roleplay.scenario import Scenario, list_scenarios
from bot.roleplay.scorecard import score_transcript
from bot.roleplay.session import RolePlaySession

MAX_TEXT = 2000
_INDEX = Asset("roleplay.html", HTML)
ROLEPLAY_PAGE = StaticPage(
    {
        "": _INDEX,
        "index.html": _INDEX,
        "roleplay.js": Asset("roleplay.js", JS),
        "roleplay.css": Asset("roleplay.css", CSS),
        "console.css": Asset("console.css", CSS),
    }
)


def scenario_summary(scenario: Scenario) -> dict[str, Any]:
    persona = scenario.persona
    return {
        "id": scenario.id,
        "title": scenario.title,
        "persona": f"{persona.name}, {persona.age} ans",
        "situation": persona.situation,
        "goal": scenario.success_label,
        "briefing": scenario.briefing,
    }


class RolePlayInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return ROLEPLAY_ROUTE

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        roleplay = Blueprint("amiable_roleplay")
        roleplay.listener("before_server_start")(install_error_pages)
        classifier = load_classifier()
        scenarios = {scenario.id: scenario for scenario in list_scenarios()}
        sessions = SessionRegistry()

        def scorecard_of(session: RolePlaySession) -> Any:
            return score_transcript(
                session.as_transcript(), classifier, scenario=session.scenario, outcome=session.outcome
            )

        def ending(session: RolePlaySession) -> dict[str, Any]:
            return {"ended": True, "outcome": session.outcome, "succeeded": session.succeeded,
                    "scorecard": scorecard_of(session).as_dict()}

        ROLEPLAY_PAGE.add_routes(roleplay)

        @roleplay.route("/api/scenarios", methods=["GET"])
        async def scenario_list(request: Request) -> HTTPResponse:
            if not authorised(request):
                return error(UNAUTHORISED, 401)
            return response.json({"scenarios": [scenario_summary(s) for s in scenarios.values()]})

        @roleplay.route("/api/sessions", methods=["POST"])
        async def start(request: Request) -> HTTPResponse:
            if not authorised(request):
                return error(UNAUTHORISED, 401)
            body = json_object(request)
            seed = body.get("seed", 0) if body else 0
            name = body.get("scenario") if body else None
            if not isinstance(name, str) or not valid_unicode(name) or type(seed) is not int:
                return error("attendu : {scenario, seed?: entier}", 400)
            scenario = scenarios.get(name)
            if scenario is None:
                return error(f"scénario inconnu : {name[:80]}", 404)
            session = RolePlaySession(scenario, classifier=classifier, seed=seed)
            opening = session.start()
            key = sessions.add(session)
            return response.json({"session": key, "scenario": scenario_summary(scenario), "debtor": opening})

        @roleplay.route("/api/sessions/<key>/say", methods=["POST"])
        async def say(request: Request, key: str) -> HTTPResponse:
            if not authorised(request):
                return error(UNAUTHORISED, 401)
            session = sessions.get(key)
            if session is None:
                return error("session inconnue ou expirée : recommencez un jeu de rôle", 404)
            body = json_object(request)
            text = text_field(body, "text") if body else None
            if text is None:
                return error("attendu : {text} (texte non vide, Unicode valide)", 400)
            if session.finished:
                return error("la conversation est terminée", 409)
            reply = session.agent_says(text[:MAX_TEXT])
            answer: dict[str, Any] = {"debtor": reply.text, "ended": session.finished}
            if session.finished:
                answer.update(ending(session))
            return response.json(answer)

        @roleplay.route("/api/sessions/<key>/end", methods=["POST"])
        async def end(request: Request, key: str) -> HTTPResponse:
            if not authorised(request):
                return error(UNAUTHORISED, 401)
            session = sessions.get(key)
            if session is None:
                return error("session inconnue ou expirée : recommencez un jeu de rôle", 404)
            session.stop()
            return response.json(ending(session))

        @roleplay.route("/api/sessions/<key>/scorecard", methods=["GET"])
        async def scorecard_page(request: Request, key: str) -> HTTPResponse:
            if not authorised(request):
                return error(UNAUTHORISED, 401)
            session = sessions.get(key)
            if session is None:
                return error("session inconnue ou expirée", 404)
            return response.html(scorecard_html(scorecard_of(session)))

        return roleplay
