"""A real Sanic server on a free loopback port with channels registered as `rasa run` does (under /webhooks/),
for the channel tests."""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import pytest
from rasa.core.channels.channel import InputChannel, register
from sanic import Sanic


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@asynccontextmanager
async def running_app(
    monkeypatch: pytest.MonkeyPatch,
    channels: Sequence[InputChannel] = (),
    agent: Any = None,
    prepare: Callable[[Sanic, int], None] | None = None,
    before_start: bool = False,
) -> AsyncIterator[str]:
    """Yields the server's base URL; `prepare(app, port)` may add routes or settings before it starts."""
    monkeypatch.setattr(Sanic, "test_mode", True)  # lets Sanic start a server more than once per process
    app = Sanic(f"channels_test_{uuid.uuid4().hex[:8]}", configure_logging=False)
    if agent is not None:
        app.ctx.agent = agent
    if channels:
        register(list(channels), app, route="/webhooks/")
    port = free_port()
    if prepare is not None:
        prepare(app, port)
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
    assert server is not None
    await server.startup()
    if before_start:
        await server.before_start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()
