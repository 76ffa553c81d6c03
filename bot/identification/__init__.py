"""Identification before disclosure: a case reference plus one verification factor held on the case."""

from bot.identification.limits import too_long
from bot.identification.verification import MAX_ATTEMPTS, Outcome, Status, verify_turn

__all__ = ["MAX_ATTEMPTS", "Outcome", "Status", "too_long", "verify_turn"]
