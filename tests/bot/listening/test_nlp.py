"""The spaCy pipeline is loaded once per process, ahead of time when a server warms it up."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from bot.listening import nlp


def test_warm_up_and_concurrent_first_uses_load_the_model_once() -> None:
    thread = nlp.warm_up()
    with ThreadPoolExecutor(max_workers=4) as pool:
        loaded = list(pool.map(lambda _: nlp.french(), range(4)))
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert all(model is loaded[0] for model in loaded) and nlp.french() is loaded[0]
    assert nlp._load.cache_info().misses == 1
    assert "ner" not in loaded[0].pipe_names


def _exit_code_of_forked_child(check: Callable[[], bool], timeout: float = 60.0) -> int | None:
    """Forks; the child exits 0 when `check()` is true, 1 otherwise; None when it is still running after `timeout`."""
    child = os.fork()
    if child == 0:
        os._exit(0 if check() else 1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        finished, status = os.waitpid(child, os.WNOHANG)
        if finished:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
    return None


def test_a_fork_during_the_warm_up_waits_for_the_model_so_workers_share_it() -> None:
    nlp._load.cache_clear()
    nlp.warm_up()  # as a server does, before Sanic forks its workers
    assert _exit_code_of_forked_child(lambda: nlp._load.cache_info().currsize == 1) == 0


def test_a_forked_worker_can_use_the_model_and_its_lock() -> None:
    nlp.french()
    assert _exit_code_of_forked_child(lambda: len(nlp.french()("Je paie.")) == 3) == 0


def test_the_warm_up_also_builds_the_conjugation_tables() -> None:
    from bot.listening.conjugation import verbiste

    verbiste.cache_clear()
    nlp.warm_up().join(timeout=120)
    assert verbiste.cache_info().currsize == 1
