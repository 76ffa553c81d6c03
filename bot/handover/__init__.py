"""Hand-over to a person: when to do it, and the summary the counsellor reads before calling back."""

from bot.handover.summary import conversation_summary
from bot.handover.triggers import ANGER_TURNS, FALLBACK_TURNS, HandoverReason, angry_streak, fallback_streak

__all__ = [
    "ANGER_TURNS",
    "FALLBACK_TURNS",
    "HandoverReason",
    "angry_streak",
    "conversation_summary",
    "fallback_streak",
]
