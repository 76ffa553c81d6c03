from __future__ import annotations

import asyncio
import time

import pytest
from aiohttp import web

from bot.assist.bench import SUGGESTIONS, UNDERSTANDING, LatencyReport, measure, summarise
from bot.cli import main


def test_percentiles_of_the_measured_latencies() -> None:
    report = summarise(10, [float(ms) for ms in range(1, 101)], errors=2)
    assert (report.requests, report.p50_ms, report.p95_ms, report.max_ms, report.errors) == (100, 50.5, 95.0, 100.0, 2)
    assert summarise(1, [], 0).requests == 0


@pytest.mark.parametrize(
    "argv",
    [["--concurrency", "un,dix"], ["--concurrency", "0"], ["--messages", "0"], ["--pause", "-1"], ["--pause", "61"]],
)
def test_bad_arguments_are_refused_in_french(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "assist", *argv]) == 2
    assert capsys.readouterr().err.strip()


def _received_by_a_fake_server(
    route: str, pause_s: float = 0.0, arrivals: list[float] | None = None
) -> tuple[list[tuple[str, str, dict]], LatencyReport]:
    """Runs `measure` (2 conversations × 3 messages) against a local aiohttp server that records each request."""
    received: list[tuple[str, str, dict]] = []

    async def record(request: web.Request) -> web.Response:
        if arrivals is not None:
            arrivals.append(time.monotonic())
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
                f"http://127.0.0.1:{port}", "jeton", ["REC-2026-000101"], ["a", "b"], 2, 3, route=route, pause_s=pause_s
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


def test_with_a_pause_each_conversation_waits_between_its_messages() -> None:
    arrivals: list[float] = []
    started = time.monotonic()
    received, report = _received_by_a_fake_server(SUGGESTIONS, pause_s=0.2, arrivals=arrivals)
    assert (report.requests, report.pause_s, report.as_dict()["pause_s"]) == (6, 0.2, 0.2)
    by_conversation: dict[str, list[float]] = {}
    for (_, _, body), at in zip(received, arrivals):
        by_conversation.setdefault(body["conversation_id"], []).append(at)
    for times in by_conversation.values():  # 0.5–1.5 × 0.2 s between two messages of one conversation
        assert all(later - earlier >= 0.1 for earlier, later in zip(times, times[1:])), times
    assert time.monotonic() - started >= 0.2  # two pauses of at least 0.1 s
