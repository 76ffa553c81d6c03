"""French formatting shared by everything a debtor, agent or trainer reads."""

from bot.text.french import format_date, format_euros

__all__ = ["format_date", "format_euros"]
