"""The role-play API as a Rasa channel on a real Sanic server: scenarios, a session played to its end with the real
agent-act classifier, the scorecard (JSON and HTML), tokens and bad requests."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.channels.roleplay import RolePlayInput
from bot.roleplay import list_scenarios
from tests.bot.channels.serving import running_app
from tests.bot.roleplay.test_trainees import GOOD

TOKEN = "jeton-formateur"



@pytest.fixture
async def api(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    monkeypatch.setenv("AMIABLE_API_TOKEN", TOKEN)
    async with running_app(monkeypatch, [RolePlayInput()]) as base:
        yield f"{base}/webhooks/roleplay"


async def _call(url: str, body: Any = None, token: str | None = TOKEN, raw: bytes | None = None) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as session:
        if body is None and raw is None:
            request = session.get(url, headers=headers)
        else:
            request = session.post(url, headers={**headers, "Content-Type": "application/json"}, data=raw, json=body)
        async with request as response:
            kind = response.headers.get("Content-Type", "")
            return response.status, (await response.json() if "json" in kind else await response.text())


async def test_a_good_trainee_plays_to_the_end_and_gets_the_scorecard(api: str) -> None:
    status, listed = await _call(f"{api}/api/scenarios")
    assert status == 200
    assert [s["id"] for s in listed["scenarios"]] == [s.id for s in list_scenarios()]
    status, started = await _call(f"{api}/api/sessions", {"scenario": "oubli"})
    assert status == 200 and started["debtor"] and started["scenario"]["goal"]
    key = started["session"]
    answer: dict[str, Any] = {}
    for line in GOOD["oubli"]:
        status, answer = await _call(f"{api}/api/sessions/{key}/say", {"text": line})
        assert status == 200 and answer["debtor"]
        if answer["ended"]:
            break
    assert answer["ended"] and answer["succeeded"] and answer["outcome"] == "agreement"
    card = answer["scorecard"]
    assert 1 <= card["score"] <= 5 and card["reasons"] and card["turns"][0]["speaker"] == "debtor"
    status, again = await _call(f"{api}/api/sessions/{key}/say", {"text": "Encore une chose ?"})
    assert status == 409 and "terminée" in again["erreur"]
    status, page = await _call(f"{api}/api/sessions/{key}/scorecard")
    assert status == 200 and "<html" in page and html.escape(card["reasons"][0]) in page


async def test_pressure_ends_badly_and_markup_is_escaped_in_the_scorecard(api: str) -> None:
    _, started = await _call(f"{api}/api/sessions", {"scenario": "colere_frais", "seed": 3})
    key = started["session"]
    threat = "<script>alert(1)</script> Payez ou l'huissier viendra saisir vos meubles demain."
    for _ in range(4):
        status, answer = await _call(f"{api}/api/sessions/{key}/say", {"text": threat})
        assert status == 200
        if answer["ended"]:
            break
    else:
        _, answer = await _call(f"{api}/api/sessions/{key}/end", {})
    assert answer["succeeded"] is False and answer["scorecard"]["score"] <= 2
    assert answer["scorecard"]["pressure_incidents"]
    _, page = await _call(f"{api}/api/sessions/{key}/scorecard")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("api/sessions", {"scenario": "inconnu"}, 404),
        ("api/sessions", {"scenario": ["oubli"]}, 400),
        ("api/sessions", {"scenario": "oubli", "seed": "3"}, 400),
        ("api/sessions", {"scenario": "oubli", "seed": True}, 400),
        ("api/sessions", ["oubli"], 400),
        ("api/sessions/nimporte/say", {"text": "Bonjour"}, 404),
        ("api/sessions/nimporte/end", {}, 404),
    ],
)
async def test_bad_requests_get_a_french_4xx(api: str, path: str, body: Any, status: int) -> None:
    got, answer = await _call(f"{api}/{path}", body)
    assert got == status and answer["erreur"]


async def test_empty_or_malformed_lines_are_400_and_do_not_count(api: str) -> None:
    _, started = await _call(f"{api}/api/sessions", {"scenario": "oubli"})
    key = started["session"]
    for body, raw in (({"text": "   "}, None), ({"text": 5}, None), (None, b'{"text": ')):
        status, answer = await _call(f"{api}/api/sessions/{key}/say", body, raw=raw)
        assert status == 400 and "attendu" in answer["erreur"]
    _, ended = await _call(f"{api}/api/sessions/{key}/end", {})
    assert [turn["speaker"] for turn in ended["scorecard"]["turns"]] == ["debtor"]


@pytest.mark.parametrize("token", [None, "faux"])
async def test_the_api_needs_the_token_but_the_page_does_not(api: str, token: str | None) -> None:
    for path, body in (("api/scenarios", None), ("api/sessions", {"scenario": "oubli"})):
        status, answer = await _call(f"{api}/{path}", body, token=token)
        assert status == 401 and answer == {"erreur": "jeton manquant ou invalide"}
    status, page = await _call(f"{api}/", token=None)
    assert status == 200 and '<html lang="fr">' in page


async def test_invalid_unicode_is_refused_and_the_scorecard_still_renders(api: str) -> None:
    status, answer = await _call(f"{api}/api/sessions", {"scenario": "oubli\ud800"})
    assert status == 400 and answer["erreur"]
    _, started = await _call(f"{api}/api/sessions", {"scenario": "oubli"})
    key = started["session"]
    for text in ("Bonjour \ud800, comment allez-vous ?", "\udfff", "\x00\x07"):
        status, answer = await _call(f"{api}/api/sessions/{key}/say", {"text": text})
        assert status == 400 and "Unicode valide" in answer["erreur"]
    status, answer = await _call(f"{api}/api/sessions/{key}/say", {"text": "Bonjour\x00, comment allez-vous ?"})
    assert status == 200 and answer["debtor"]
    status, page = await _call(f"{api}/api/sessions/{key}/scorecard")
    assert status == 200 and "Bonjour , comment allez-vous ?" in page
