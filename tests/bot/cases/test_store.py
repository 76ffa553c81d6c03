from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.cases import CaseStore
from bot.cases.demo import load_demo_data, seed
from bot.cases.models import Case, Creditor, Payment, Sector


def test_demo_data_is_rich_enough() -> None:
    data = load_demo_data()
    totals = [case.total for case in data.cases]
    assert len(data.cases) >= 40
    assert len({case.debtor.last_name for case in data.cases}) >= 35
    assert {Sector.TELECOM, Sector.ENERGIE, Sector.CREDIT_CONSO, Sector.LOGEMENT, Sector.SANTE} <= {
        creditor.sector for creditor in data.creditors
    }
    assert min(totals) >= Decimal("30") and max(totals) <= Decimal("15000")
    assert min(totals) < Decimal("100") and max(totals) > Decimal("5000")
    assert sum(1 for case in data.cases if case.payments) >= 5
    assert sum(1 for case in data.cases if case.arrangement) >= 4
    assert any(case.dispute for case in data.cases)
    assert len({case.reference for case in data.cases}) == len(data.cases)


def test_demo_arrangements_sum_to_what_was_owed() -> None:
    for case in load_demo_data().cases:
        if case.arrangement is None:
            continue
        lines_total = sum(line.amount for line in case.arrangement.lines)
        paid_before = sum(p.amount for p in case.payments if p.paid_on <= case.arrangement.created_on)
        assert lines_total == case.total - paid_before - case.arrangement.discount, case.reference


def test_seed_is_idempotent(store: CaseStore) -> None:
    data = load_demo_data()
    with store.session() as session:
        first = seed(session, data)
    with store.session() as session:
        second = seed(session, data)
        count = session.execute(select(func.count(Case.id))).scalar_one()
    assert first.cases_added == len(data.cases) and first.creditors_added == len(data.creditors)
    assert second.cases_added == 0 and second.creditors_added == 0
    assert second.cases_already_there == len(data.cases)
    assert count == len(data.cases)


def test_case_view_derives_amount_due_from_payments(demo_store: CaseStore) -> None:
    data = load_demo_data()
    with_payments = next(case for case in data.cases if case.payments)
    view = demo_store.case_view(with_payments.reference.lower())
    assert view is not None
    paid = sum(p.amount for p in with_payments.payments)
    assert view.total_claimed == with_payments.total
    assert view.amount_paid == paid
    assert view.amount_due == with_payments.total - paid
    assert view.creditor_name and view.debtor_display_name


def test_case_view_of_unknown_or_malformed_reference_is_none(demo_store: CaseStore) -> None:
    assert demo_store.case_view("REC-1999-999999") is None
    assert demo_store.case_view("'; DROP TABLE cases; --") is None


def test_verify_needs_a_matching_factor(demo_store: CaseStore) -> None:
    case = load_demo_data().cases[0]
    assert demo_store.verify(case.reference, birth_date=case.debtor.birth_date)
    assert demo_store.verify(case.reference, postcode=case.debtor.postcode)
    assert not demo_store.verify(case.reference, birth_date=date(1901, 1, 1))
    assert not demo_store.verify(case.reference, postcode="00000")
    assert not demo_store.verify(case.reference)
    assert not demo_store.verify("REC-1999-999999", birth_date=case.debtor.birth_date)


def test_unit_of_work_rolls_back_on_error(demo_store: CaseStore) -> None:
    reference = load_demo_data().cases[0].reference
    with pytest.raises(RuntimeError), demo_store.session() as session:
        case = session.execute(select(Case).where(Case.reference == reference)).scalar_one()
        session.add(Payment(case=case, amount=Decimal("1.00"), paid_on=date(2026, 11, 1), method="virement"))
        session.flush()
        raise RuntimeError("boom")
    view = demo_store.case_view(reference)
    assert view is not None and Decimal("1.00") not in [p.amount for p in view.payments]


def test_database_refuses_a_policy_beyond_24_months(store: CaseStore) -> None:
    with pytest.raises(IntegrityError), store.session() as session:
        session.add(
            Creditor(
                key="x",
                name="X",
                sector=Sector.EAU,
                min_instalment=Decimal("10"),
                max_duration_months=36,
                max_discount_pct=Decimal("0"),
                max_deferral_days=0,
            )
        )


def test_amounts_are_exact_to_the_cent(demo_store: CaseStore) -> None:
    reference = load_demo_data().cases[0].reference
    with demo_store.session() as session:
        case = session.execute(select(Case).where(Case.reference == reference)).scalar_one()
        case.principal = Decimal("9876543210.01")
        for amount in ("0.10", "0.20", "0.07"):
            session.add(Payment(case=case, amount=Decimal(amount), paid_on=date(2026, 11, 2), method="carte"))
    view = demo_store.case_view(reference)
    assert view is not None
    assert view.principal == Decimal("9876543210.01")
    assert view.amount_paid == Decimal("0.37")
    assert view.amount_due == view.total_claimed - Decimal("0.37")


def test_an_amount_beyond_the_cent_is_refused(demo_store: CaseStore) -> None:
    reference = load_demo_data().cases[0].reference
    with pytest.raises(Exception, match="two decimals"), demo_store.session() as session:
        case = session.execute(select(Case).where(Case.reference == reference)).scalar_one()
        session.add(Payment(case=case, amount=Decimal("1.005"), paid_on=date(2026, 11, 2), method="carte"))
