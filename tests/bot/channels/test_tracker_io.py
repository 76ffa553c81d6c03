"""Tracker store calls of the assist API run on their own thread, off the server's event loop."""

from __future__ import annotations

import threading

from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.tracker_io import TrackerIO


class ThreadRecordingStore(InMemoryTrackerStore):
    def __init__(self) -> None:
        super().__init__(Domain.empty())
        self.threads: list[str] = []

    async def save(self, tracker: DialogueStateTracker) -> None:
        self.threads.append(threading.current_thread().name)
        await super().save(tracker)


class FakeBroker:
    pass


async def test_get_save_retrieve_on_the_worker_thread() -> None:
    store, io = ThreadRecordingStore(), TrackerIO()
    try:
        tracker = await io.get(store, "c1")
        tracker.update(UserUttered("bonjour"))
        await io.save(store, tracker)
        again = await io.retrieve(store, "c1")
        assert again is not None and [e.text for e in again.events if isinstance(e, UserUttered)] == ["bonjour"]
        assert store.threads and set(store.threads) == {"amiable-tracker-io"}  # creation saves too
        assert await io.retrieve(store, "inconnu") is None
    finally:
        io.close()


async def test_a_store_with_an_event_broker_stays_on_the_server_loop() -> None:
    store, io = ThreadRecordingStore(), TrackerIO()
    store.event_broker = FakeBroker()  # type: ignore[assignment]
    try:
        tracker = await io.get(store, "c2")
        await io.save(store, tracker)
        assert store.threads and set(store.threads) == {threading.current_thread().name}
    finally:
        io.close()
