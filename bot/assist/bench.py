"""`amiable bench assist`: suggestion latency over HTTP at 1 and N concurrent conversations.

Each conversation sends debtor messages one after the other to `POST /webhooks/assist/debtor` (with a case, so
that options are computed); the conversations run at the same time. Latency is measured by the client, from
request to complete answer, on the running Rasa server (or one the command starts on free ports).

With a pause (`pause_s`), each conversation waits between its messages as a debtor typing would (a random
0.5–1.5 × the pause, and a random start within the first pause): the load of conversations at a human pace rather
than all messages back to back.

The same messages sent to Rasa's `POST /model/parse` (the language understanding alone, no tracker, no listening,
no options) give the floor under the suggestions on the same server: what any suggestion costs at least.
"""

from __future__ import annotations

import asyncio
import random
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
    pause_s: float = 0.0  # mean pause between two messages of a conversation (0: back to back)

    def as_dict(self) -> dict[str, Any]:
        return {
            "route": self.route,
            "pause_s": self.pause_s,
            "conversations": self.conversations,
            "requests": self.requests,
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "max_ms": self.max_ms,
            "errors": self.errors,
        }


def summarise(
    conversations: int, latencies: Sequence[float], errors: int, route: str = SUGGESTIONS, pause_s: float = 0.0
) -> LatencyReport:
    ordered = sorted(latencies)
    if not ordered:
        return LatencyReport(conversations, 0, 0.0, 0.0, 0.0, errors, route, pause_s)
    return LatencyReport(
        conversations,
        len(ordered),
        round(statistics.median(ordered), 1),
        round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        round(ordered[-1], 1),
        errors,
        route,
        pause_s,
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
    pause_s: float = 0.0,
    pauses: random.Random | None = None,
) -> int:
    errors = 0
    pauses = pauses or random.Random(0)
    for number, text in enumerate(texts):
        if pause_s > 0:  # a random start within the first pause, then 0.5–1.5 × the pause between messages
            await asyncio.sleep(pauses.uniform(0, pause_s) if number == 0 else pauses.uniform(0.5, 1.5) * pause_s)
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
    pause_s: float = 0.0,
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
                    pause_s,
                    random.Random(index),  # the same pauses on every run
                )
                for index in range(conversations)
            )
        )
    return summarise(conversations, latencies, sum(errors), route, pause_s)
