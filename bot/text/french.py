"""Amounts and dates written the French way: "1 234,56 €", "5 décembre 2026"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
NARROW_NBSP = "\u202f"
NBSP = "\xa0"


def format_euros(amount: Decimal) -> str:
    """`Decimal("1234.5")` → "1 234,50 €" (narrow no-break space for thousands, no-break before €)."""
    quantized = amount.quantize(Decimal("0.01"))
    sign = "-" if quantized < 0 else ""
    units, cents = f"{abs(quantized):.2f}".split(".")
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return f"{sign}{NARROW_NBSP.join(groups)},{cents}{NBSP}€"


def format_date(day: date) -> str:
    """`date(2026, 12, 1)` → "1er décembre 2026"."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"
