"""Role-play sessions held by the server for the web page: one per trainee conversation, forgotten after a
while of inactivity (a role-play is a training exercise: nothing in it is a debtor's data)."""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from bot.roleplay.session import RolePlaySession

IDLE_SECONDS = 3 * 3600
MAX_SESSIONS = 500


@dataclass
class HeldSession:
    session: RolePlaySession
    touched: float


class SessionRegistry:
    def __init__(
        self,
        idle_seconds: float = IDLE_SECONDS,
        max_sessions: int = MAX_SESSIONS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.idle_seconds = idle_seconds
        self.max_sessions = max_sessions
        self.clock = clock
        self._held: OrderedDict[str, HeldSession] = OrderedDict()

    def _evict(self) -> None:
        now = self.clock()
        for key in [key for key, held in self._held.items() if now - held.touched > self.idle_seconds]:
            del self._held[key]
        while len(self._held) >= self.max_sessions:
            self._held.popitem(last=False)

    def add(self, session: RolePlaySession) -> str:
        self._evict()
        key = secrets.token_urlsafe(12)
        self._held[key] = HeldSession(session, self.clock())
        return key

    def get(self, key: str) -> RolePlaySession | None:
        held = self._held.get(key)
        if held is None or self.clock() - held.touched > self.idle_seconds:
            self._held.pop(key, None)
            return None
        held.touched = self.clock()
        self._held.move_to_end(key)
        return held.session

    def __len__(self) -> int:
        return len(self._held)
