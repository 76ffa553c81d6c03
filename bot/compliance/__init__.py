"""Compliance of debtor-facing texts: forbidden content, first-contact mentions, the whole domain."""

from bot.compliance.check import (
    Category,
    Finding,
    Mention,
    check_domain,
    check_text,
    check_texts,
    domain_texts,
    first_contact_mentions,
)

__all__ = [
    "Category",
    "Finding",
    "Mention",
    "check_domain",
    "check_text",
    "check_texts",
    "domain_texts",
    "first_contact_mentions",
]
