"""Repayment options: capacity, schedules, ranked options, counter-offers and the debtor's profile."""

from bot.negotiation.capacity import (
    RSA_SINGLE_PERSON_2025_04,
    budget_capacity,
    declared_capacity,
    living_floor,
    unknown_capacity,
)
from bot.negotiation.counter_offer import CounterOfferOutcome, evaluate_counter_offer
from bot.negotiation.models import Capacity, CapacitySource, Option, OptionKind, ScheduleLine
from bot.negotiation.options import propose_options
from bot.negotiation.profile import Profile, ProfileKind, infer_profile

__all__ = [
    "RSA_SINGLE_PERSON_2025_04",
    "Capacity",
    "CapacitySource",
    "CounterOfferOutcome",
    "Option",
    "OptionKind",
    "Profile",
    "ProfileKind",
    "ScheduleLine",
    "budget_capacity",
    "declared_capacity",
    "evaluate_counter_offer",
    "infer_profile",
    "living_floor",
    "propose_options",
    "unknown_capacity",
]
