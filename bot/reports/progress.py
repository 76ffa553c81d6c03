"""Progress on stderr for work that may be long: silent when it ends within a second, step by step otherwise."""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import TextIO


class DelayedProgress:
    """`step("accords")` names what is being done; nothing is printed unless the work lasts more than `delay` s.

    A timer prints the current step once the delay has passed (even while one long query runs); from then on
    every step is printed as it starts, and the total duration at the end.
    """

    def __init__(self, title: str, stream: TextIO | None = None, delay: float = 1.0) -> None:
        self.title = title
        self.stream = stream if stream is not None else sys.stderr
        self.delay = delay
        self.shown = False
        self._current: str | None = None
        self._done = False
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._timer = threading.Timer(delay, self._late)
        self._timer.daemon = True

    def __enter__(self) -> DelayedProgress:
        self._started = time.monotonic()
        if self.delay <= 0:
            self.shown = True  # always shown: every step is printed as it starts
        else:
            self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._timer.cancel()
        with self._lock:
            self._done = True
            if self.shown and kind is None:
                elapsed = f"{time.monotonic() - self._started:.1f}".replace(".", ",")
                self._print(f"{self.title} : terminé en {elapsed} s")

    def step(self, what: str) -> None:
        with self._lock:
            self._current = what
            if self.shown and not self._done:
                self._print(f"{self.title} : {what}…")

    def _late(self) -> None:
        with self._lock:
            if self._done or self.shown:
                return
            self.shown = True
            self._print(f"{self.title} : {self._current or 'préparation'}…")

    def _print(self, line: str) -> None:
        print(line, file=self.stream, flush=True)
