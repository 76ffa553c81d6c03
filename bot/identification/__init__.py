"""Identification before disclosure: a case reference plus one verification factor held on the case."""

from bot.identification.verification import Outcome, Status, verify_turn

__all__ = ["Outcome", "Status", "verify_turn"]
