"""What the bot says while identification is paused on a reference, and until when.

The same words for every reference, known or not: the pause only tells that three attempts failed on what was
typed, never whether a case exists.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.negotiation.interruptions import CALLBACK_HOURS
from bot.settings import lockout_minutes
from bot.text import format_date


def lockout_duration() -> timedelta:
    """The configured pause after three failed identifications (`AMIABLE_LOCKOUT_MINUTES`)."""
    return timedelta(minutes=lockout_minutes())


def _clock(moment: datetime) -> str:
    return f"{moment.hour} h {moment.minute:02d}"


def retry_time(until: datetime, now: datetime) -> str:
    """When the person may try again, in French, rounded up to the minute (never earlier than the lock ends)."""
    moment = until.replace(second=0, microsecond=0)
    if moment < until:
        moment += timedelta(minutes=1)
    if moment.date() == now.date():
        return f"à partir de {_clock(moment)}"
    if moment.date() == now.date() + timedelta(days=1):
        return f"demain à partir de {_clock(moment)}"
    return f"à partir du {format_date(moment.date())} à {_clock(moment)}"


def locked_reply(until: datetime, now: datetime) -> str:
    return (
        "Par sécurité, l'identification en ligne est mise en pause pour cette référence après plusieurs essais "
        f"infructueux. Vous pourrez réessayer {retry_time(until, now)}. Si vous préférez, nos conseillers "
        f"peuvent vous aider {CALLBACK_HOURS}."
    )
