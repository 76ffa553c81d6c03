"""Rasa's tracker stores do their database work synchronously inside `async` methods, so every read or write
of a conversation blocks the Rasa server's event loop (SQL round trips, SQLite's fsync on commit). The assist
API reads and writes trackers outside Rasa's own message handling; it runs those calls on one worker thread
with its own event loop, so that the main loop goes on parsing other conversations' messages meanwhile.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

Result = TypeVar("Result")


def _has_event_broker(store: TrackerStore) -> bool:
    inner = getattr(store, "_tracker_store", store)  # Rasa wraps the configured store (AwaitableTrackerStore)
    return getattr(inner, "event_broker", None) is not None or getattr(store, "event_broker", None) is not None


class TrackerIO:
    """Runs a tracker store's calls on a dedicated thread (one at a time, in order)."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="amiable-tracker-io", daemon=True)
        self._thread.start()

    async def _run(self, store: TrackerStore, work: Coroutine[Any, Any, Result]) -> Result:
        if _has_event_broker(store):  # a broker's producer belongs to the server's loop: stay on it
            return await work
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(work, self._loop))

    async def get(self, store: TrackerStore, conversation_id: str) -> DialogueStateTracker:
        return await self._run(store, store.get_or_create_tracker(conversation_id, append_action_listen=False))

    async def retrieve(self, store: TrackerStore, conversation_id: str) -> DialogueStateTracker | None:
        return await self._run(store, store.retrieve(conversation_id))

    async def save(self, store: TrackerStore, tracker: DialogueStateTracker) -> None:
        await self._run(store, store.save(tracker))

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
