"""Satisfaction ratings: one per conversation, the last one given wins; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from bot.cases import CaseStore
from bot.cases.db import get_engine
from bot.cases.models import SatisfactionRating
from bot.cases.store import UnknownCase

CASE = "REC-2026-000101"
OTHER_CASE = "REC-2026-000108"


def _rows(store: CaseStore) -> list[tuple[str, int, int | None]]:
    with store.session() as session:
        statement = select(SatisfactionRating.conversation_id, SatisfactionRating.rating, SatisfactionRating.case_id)
        return [tuple(row) for row in session.execute(statement.order_by(SatisfactionRating.id))]


def test_a_rating_is_recorded_with_its_case_and_time(demo_store: CaseStore) -> None:
    record = demo_store.record_satisfaction("web-abc", 4, reference=CASE)
    assert (record.created, record.conversation_id, record.reference, record.rating) == (True, "web-abc", CASE, 4)
    anonymous = demo_store.record_satisfaction("web-def", 2)
    assert anonymous.reference is None and anonymous.created
    with demo_store.session() as session:
        row = session.get(SatisfactionRating, record.id)
        assert row is not None and row.created_at is not None and row.case.reference == CASE
    assert [(conversation, rating) for conversation, rating, _ in _rows(demo_store)] == [("web-abc", 4), ("web-def", 2)]


def test_one_rating_per_conversation_and_the_last_one_wins(demo_store: CaseStore) -> None:
    first = demo_store.record_satisfaction("web-abc", 2)
    retried = demo_store.record_satisfaction("web-abc", 2)
    corrected = demo_store.record_satisfaction("web-abc", 5, reference=CASE)
    assert first.created and not retried.created and not corrected.created
    assert first.id == retried.id == corrected.id
    assert (corrected.rating, corrected.reference) == (5, CASE)
    later_without_reference = demo_store.record_satisfaction("web-abc", 3)
    assert later_without_reference.reference == CASE  # a later rating does not unlink the case
    assert len(_rows(demo_store)) == 1 and _rows(demo_store)[0][1] == 3


def test_invalid_ratings_and_unknown_cases_write_nothing(demo_store: CaseStore) -> None:
    for rating in (0, 6, -1, True, 2.5, "4", None):
        with pytest.raises(ValueError, match="note de satisfaction invalide"):
            demo_store.record_satisfaction("web-abc", rating)  # type: ignore[arg-type]
    for conversation in ("", "x" * 81, "a\nb"):
        with pytest.raises(ValueError, match="clé d'idempotence invalide"):
            demo_store.record_satisfaction(conversation, 3)
    with pytest.raises(UnknownCase):
        demo_store.record_satisfaction("web-abc", 3, reference="REC-1999-999999")
    assert _rows(demo_store) == []
    assert demo_store.record_satisfaction("web-abc", 4.0).rating == 4  # a float slot value that is a whole number


def test_the_database_itself_refuses_a_bad_rating_or_a_second_row(demo_store: CaseStore) -> None:
    engine = get_engine(demo_store.url)
    insert = "INSERT INTO satisfaction_ratings (conversation_id, rating) VALUES (:conversation, :rating)"
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text(insert), {"conversation": "c1", "rating": 6})
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text(insert), {"conversation": "c1", "rating": 0})
    with engine.begin() as connection:
        connection.execute(text(insert), {"conversation": "c1", "rating": 5})
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text(insert), {"conversation": "c1", "rating": 4})
    with engine.connect() as connection:
        created = connection.execute(text("SELECT created_at FROM satisfaction_ratings")).scalar_one()
    assert created is not None  # server default


async def test_concurrent_ratings_of_one_conversation_keep_one_row(demo_store: CaseStore) -> None:
    ratings = [1, 2, 3, 4, 5, 4]
    records = await asyncio.gather(
        *(asyncio.to_thread(demo_store.record_satisfaction, "web-same", rating, OTHER_CASE) for rating in ratings)
    )
    assert len({record.id for record in records}) == 1 and sum(record.created for record in records) == 1
    with demo_store.session() as session:
        assert session.execute(select(func.count()).select_from(SatisfactionRating)).scalar_one() == 1
        assert session.execute(select(SatisfactionRating.rating)).scalar_one() in ratings
