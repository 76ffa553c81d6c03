"""The case store shared by the actions, and a helper to call it off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from bot.cases import CaseStore

Result = TypeVar("Result")


@lru_cache(maxsize=1)
def case_store() -> CaseStore:
    return CaseStore()


async def off_loop(function: Callable[..., Result], *arguments: object) -> Result:
    """Runs blocking case-store work in a thread so that other conversations keep flowing."""
    return await asyncio.to_thread(function, *arguments)
