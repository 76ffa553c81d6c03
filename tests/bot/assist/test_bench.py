from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from bot.assist.bench import SUGGESTIONS, UNDERSTANDING, LatencyReport, measure, summarise
from bot.cli import main


def test_percentiles_of_the_measured_latencies() -> None:
    report = summarise(10, [float(ms) for ms in range(1, 101)], errors=2)
    assert (report.requests, report.p50_ms, report.p95_ms, report.max_ms, report.errors) == (100, 50.5, 95.0, 100.0, 2)
    assert summarise(1, [], 0).requests == 0


@pytest.mark.parametrize("argv", [["--concurrency", "un,dix"], ["--concurrency", "0"], ["--messages", "0"]])
def test_bad_arguments_are_refused_in_french(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "assist", *argv]) == 2
    assert capsys.readouterr().err.strip()


def _received_by_a_fake_server(route: str) -> tuple[list[tuple[str, str, dict]], LatencyReport]:
    """Runs `measure` (2 conversations × 3 messages) against a local aiohttp server that records each request."""
    received: list[tuple[str, str, dict]] = []

    async def record(request: web.Request) -> web.Response:
        received.append((request.path, request.query.get("token", ""), await request.json()))
        return web.json_response({})

    async def run() -> LatencyReport:
        app = web.Application()
        app.router.add_post("/{tail:.*}", record)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        try:
            return await measure(
                f"http://127.0.0.1:{port}", "jeton", ["REC-2026-000101"], ["a", "b"], 2, 3, route=route
            )
        finally:
            await runner.cleanup()

    return received, asyncio.run(run())


def test_suggestions_are_measured_on_the_assist_route_with_the_case() -> None:
    received, report = _received_by_a_fake_server(SUGGESTIONS)
    assert (report.route, report.requests, report.errors) == (SUGGESTIONS, 6, 0)
    assert {path for path, _, _ in received} == {"/webhooks/assist/debtor"}
    assert all(token == "jeton" and body["case_reference"] == "REC-2026-000101" for _, token, body in received)
    assert len({body["conversation_id"] for _, _, body in received}) == 2


def test_the_floor_is_the_same_messages_on_rasa_model_parse() -> None:
    received, report = _received_by_a_fake_server(UNDERSTANDING)
    assert (report.route, report.requests, report.as_dict()["route"]) == (UNDERSTANDING, 6, "analyse")
    assert {path for path, _, _ in received} == {"/model/parse"}
    assert sorted(body["text"] for _, _, body in received) == ["a", "a", "a", "b", "b", "b"]
    assert all(set(body) == {"text"} for _, _, body in received)
