from decimal import Decimal

import pytest

from bot.negotiation import (
    RSA_SINGLE_PERSON_2025_04,
    CapacitySource,
    budget_capacity,
    declared_capacity,
    living_floor,
    unknown_capacity,
)
from bot.negotiation.capacity import LIVING_FLOOR_ENV


@pytest.fixture(autouse=True)
def _no_floor_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LIVING_FLOOR_ENV, raising=False)


def test_default_floor_is_the_rsa_for_one_person_april_2025() -> None:
    assert Decimal("646.52") == RSA_SINGLE_PERSON_2025_04
    assert living_floor() == Decimal("646.52")


def test_floor_can_be_overridden_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LIVING_FLOOR_ENV, "700,00")
    assert living_floor() == Decimal("700.00")
    assert budget_capacity("1400", "500").monthly == Decimal("200.00")
    monkeypatch.setenv(LIVING_FLOOR_ENV, "beaucoup")
    with pytest.raises(ValueError, match=LIVING_FLOOR_ENV):
        living_floor()


def test_budget_capacity_is_income_minus_charges_minus_floor() -> None:
    capacity = budget_capacity("1 400,00 €", "500")
    assert capacity.monthly == Decimal("253.48")
    assert capacity.source is CapacitySource.BUDGET
    assert (capacity.income, capacity.charges, capacity.living_floor) == (
        Decimal("1400.00"),
        Decimal("500.00"),
        Decimal("646.52"),
    )


def test_budget_below_the_floor_leaves_nothing() -> None:
    assert budget_capacity("900", "400").monthly == Decimal("0.00")
    assert budget_capacity("1000", "200", floor=Decimal("0")).monthly == Decimal("800.00")


def test_declared_capacity_accepts_french_amounts() -> None:
    assert declared_capacity("250,50").monthly == Decimal("250.50")
    assert declared_capacity("250 €").monthly == Decimal("250.00")
    assert declared_capacity("80", can_pay_in_full=True).can_pay_in_full
    for bad in ("abc", "-5", "12,345"):
        with pytest.raises(ValueError):
            declared_capacity(bad)


def test_unknown_capacity() -> None:
    capacity = unknown_capacity()
    assert capacity.monthly is None and not capacity.known and capacity.source is CapacitySource.INCONNUE
