"""`amiable bench assist`: suggestion latency over HTTP at 1 and N concurrent conversations.

Each conversation sends debtor messages one after the other to `POST /webhooks/assist/debtor` (with a case, so
that options are computed); the conversations run at the same time. Latency is measured by the client, from
request to complete answer, on the running Rasa server (or one the command starts on free ports).

The same messages sent to Rasa's `POST /model/parse` (the language understanding alone, no tracker, no listening,
no options) give the floor under the suggestions on the same server: what any suggestion costs at least.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp

SUGGESTIONS, UNDERSTANDING = "suggestions", "analyse"
ROUTES = {SUGGESTIONS: "/webhooks/assist/debtor", UNDERSTANDING: "/model/parse"}
ROUTE_NAMES = {SUGGESTIONS: "suggestions complètes", UNDERSTANDING: "analyse seule (/model/parse, le plancher)"}


@dataclass(frozen=True)
class LatencyReport:
    conversations: int
    requests: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    errors: int
    route: str = SUGGESTIONS  # SUGGESTIONS or UNDERSTANDING (the floor)

    def as_dict(self) -> dict[str, Any]:
        return {
            "route": self.route,
            "conversations": self.conversations,
            "requests": self.requests,
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "max_ms": self.max_ms,
            "errors": self.errors,
        }


def summarise(conversations: int, latencies: Sequence[float], errors: int, route: str = SUGGESTIONS) -> LatencyReport:
    ordered = sorted(latencies)
    if not ordered:
        return LatencyReport(conversations, 0, 0.0, 0.0, 0.0, errors, route)
    return LatencyReport(
        conversations,
        len(ordered),
        round(statistics.median(ordered), 1),
        round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        round(ordered[-1], 1),
        errors,
        route,
    )


async def _conversation(
    session: aiohttp.ClientSession,
    url: str,
    name: str,
    reference: str,
    texts: Sequence[str],
    latencies: list[float],
    progress: Callable[[], None],
    route: str,
) -> int:
    errors = 0
    for text in texts:
        body = (
            {"conversation_id": name, "case_reference": reference, "text": text}
            if route == SUGGESTIONS
            else {"text": text}
        )
        started = time.perf_counter()
        async with session.post(url, json=body) as answer:
            await answer.read()
            if answer.status != 200:
                errors += 1
        latencies.append((time.perf_counter() - started) * 1000)
        progress()
    return errors


async def measure(
    base_url: str,
    token: str,
    references: Sequence[str],
    texts: Sequence[str],
    conversations: int,
    messages_per_conversation: int,
    progress: Callable[[], None] = lambda: None,
    route: str = SUGGESTIONS,
) -> LatencyReport:
    url = f"{base_url}{ROUTES[route]}?token={token}"
    latencies: list[float] = []
    stamp = time.time_ns()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        errors = await asyncio.gather(
            *(
                _conversation(
                    session,
                    url,
                    f"bench-{stamp}-{conversations}-{index}",
                    references[index % len(references)],
                    [texts[(index + turn) % len(texts)] for turn in range(messages_per_conversation)],
                    latencies,
                    progress,
                    route,
                )
                for index in range(conversations)
            )
        )
    return summarise(conversations, latencies, sum(errors), route)
