"""Schedules: dates on the debtor's pay day (clamped to the month's end) and equal instalments to the cent."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from bot.negotiation.models import CENT, ScheduleLine


def ceil_cent(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_CEILING)


def floor_cent(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_FLOOR)


def day_in_month(year: int, month: int, day: int) -> date:
    """The given day of a month, or the month's last day when it is shorter (31 in February → 28 or 29)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def shift_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def check_day(day: int) -> int:
    if not 1 <= day <= 31:
        raise ValueError(f"jour du mois invalide : {day} (un nombre de 1 à 31)")
    return day


def next_pay_date(after: date, pay_day: int) -> date:
    """The first pay day strictly after `after`."""
    check_day(pay_day)
    candidate = day_in_month(after.year, after.month, pay_day)
    if candidate > after:
        return candidate
    year, month = shift_months(after.year, after.month, 1)
    return day_in_month(year, month, pay_day)


def pay_date_on_or_after(start: date, pay_day: int) -> date:
    """The first pay day on or after `start`."""
    return next_pay_date(date.fromordinal(start.toordinal() - 1), pay_day)


def monthly_dates(first: date, count: int, day: int | None = None) -> list[date]:
    """`first`, then `day` (default: first's day) in each following month, clamped to the month's end."""
    if count < 1:
        raise ValueError("au moins une échéance")
    wanted = check_day(day if day is not None else first.day)
    dates = [first]
    for offset in range(1, count):
        year, month = shift_months(first.year, first.month, offset)
        dates.append(day_in_month(year, month, wanted))
    return dates


def months_later(start: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end."""
    year, month = shift_months(start.year, start.month, months)
    return day_in_month(year, month, start.day)


def equal_instalments(total: Decimal, count: int) -> list[Decimal]:
    """`count` equal instalments rounded up to the cent, the remainder (smaller) on the last one.

    Raises ValueError when the last one would not be positive (too many lines for too small an amount).
    """
    if count < 1:
        raise ValueError("au moins une échéance")
    base = ceil_cent(total / count)
    last = total - base * (count - 1)
    if last <= 0:
        raise ValueError(f"{total} ne se répartit pas en {count} échéances positives")
    return [base] * (count - 1) + [last]


def build_schedule(total: Decimal, count: int, first: date, day: int | None = None) -> list[ScheduleLine]:
    amounts = equal_instalments(total, count)
    return [ScheduleLine(date=when, amount=amount) for when, amount in zip(monthly_dates(first, count, day), amounts)]
