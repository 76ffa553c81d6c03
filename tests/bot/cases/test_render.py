from decimal import Decimal

from bot.cases import CaseStore
from bot.cases.demo import load_demo_data
from bot.cases.render import render_case
from bot.text import format_date, format_euros


def test_format_euros_the_french_way() -> None:
    assert format_euros(Decimal("1234.5")) == "1\u202f234,50\xa0€"
    assert format_euros(Decimal("30")) == "30,00\xa0€"


def test_format_date_in_french() -> None:
    from datetime import date

    assert format_date(date(2026, 12, 1)) == "1er décembre 2026"
    assert format_date(date(2026, 8, 15)) == "15 août 2026"


def test_render_case_shows_breakdown_and_history(sqlite_demo_store: CaseStore) -> None:
    data = load_demo_data()
    case = next(c for c in data.cases if c.payments and c.arrangement)
    view = sqlite_demo_store.case_view(case.reference)
    assert view is not None
    text = render_case(view)
    assert case.reference in text and case.debtor.last_name in text
    assert "Principal" in text and "Reste dû" in text and format_euros(view.amount_due) in text
    assert "Paiements" in text and "Accord" in text
