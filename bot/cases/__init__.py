"""The case store: debtors, creditors and their policies, cases and their history."""

from bot.cases.store import CaseStore

__all__ = ["CaseStore"]
