from datetime import date
from decimal import Decimal

import pytest

from bot.negotiation.schedule import (
    build_schedule,
    equal_instalments,
    monthly_dates,
    months_later,
    next_pay_date,
    pay_date_on_or_after,
)


def test_next_pay_date_is_strictly_after_today() -> None:
    assert next_pay_date(date(2026, 11, 22), 5) == date(2026, 12, 5)
    assert next_pay_date(date(2026, 11, 4), 5) == date(2026, 11, 5)
    assert next_pay_date(date(2026, 11, 5), 5) == date(2026, 12, 5)  # pay day today: the next one
    assert next_pay_date(date(2026, 12, 20), 5) == date(2027, 1, 5)  # over the year end


def test_pay_day_31_is_clamped_to_the_end_of_short_months() -> None:
    assert next_pay_date(date(2027, 2, 1), 31) == date(2027, 2, 28)
    assert next_pay_date(date(2028, 2, 1), 31) == date(2028, 2, 29)  # leap year
    assert next_pay_date(date(2026, 11, 22), 31) == date(2026, 11, 30)
    assert next_pay_date(date(2026, 11, 30), 31) == date(2026, 12, 31)


def test_monthly_dates_keep_the_wanted_day_after_a_short_month() -> None:
    assert monthly_dates(date(2027, 1, 31), 4, 31) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    assert monthly_dates(date(2026, 12, 12), 2) == [date(2026, 12, 12), date(2027, 1, 12)]


def test_pay_date_on_or_after_and_months_later() -> None:
    assert pay_date_on_or_after(date(2027, 1, 5), 5) == date(2027, 1, 5)
    assert pay_date_on_or_after(date(2027, 1, 6), 5) == date(2027, 2, 5)
    assert months_later(date(2027, 1, 31), 1) == date(2027, 2, 28)


def test_bad_day_of_month_is_refused() -> None:
    with pytest.raises(ValueError, match="jour du mois"):
        next_pay_date(date(2026, 11, 22), 32)
    with pytest.raises(ValueError):
        monthly_dates(date(2026, 11, 22), 0)


def test_equal_instalments_round_up_and_put_the_remainder_on_the_last() -> None:
    assert equal_instalments(Decimal("187.82"), 3) == [Decimal("62.61"), Decimal("62.61"), Decimal("62.60")]
    assert equal_instalments(Decimal("270.00"), 6) == [Decimal("45.00")] * 6
    assert equal_instalments(Decimal("100.00"), 3) == [Decimal("33.34"), Decimal("33.34"), Decimal("33.32")]
    with pytest.raises(ValueError):
        equal_instalments(Decimal("0.30"), 24)  # 23 × 0.02 > 0.30: no positive last line


def test_build_schedule_puts_amounts_on_dates() -> None:
    lines = build_schedule(Decimal("100.00"), 3, date(2026, 12, 5), 5)
    assert [(line.date, line.amount) for line in lines] == [
        (date(2026, 12, 5), Decimal("33.34")),
        (date(2027, 1, 5), Decimal("33.34")),
        (date(2027, 2, 5), Decimal("33.32")),
    ]
    assert not any(line.first_step for line in lines)
