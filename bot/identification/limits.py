"""The longest message the bot reads, and its polite answer to a longer one."""

from __future__ import annotations

from bot.settings import max_message_chars

TOO_LONG = "Votre message est un peu long pour moi : pouvez-vous le résumer en quelques phrases ?"


def too_long(text: str | None) -> str | None:
    """The French answer when `text` is longer than `max_message_chars()` characters (spaces around excluded).

    None when the message may be read. Counts characters (code points), not bytes.
    """
    if text is None:
        return None
    return TOO_LONG if len(text.strip()) > max_message_chars() else None
