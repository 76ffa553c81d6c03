"""Writes journal entries on a case, once per dedup key (a retried request writes nothing twice)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.cases.models import Case, Channel, JournalEntry, JournalKind
from bot.cases.store import CaseStore
from bot.journal.masking import mask

MAX_TEXT = 1000


class Journal:
    def __init__(self, store: CaseStore) -> None:
        self.store = store

    def record(
        self,
        reference: str,
        kind: JournalKind,
        *,
        dedup_key: str,
        intent: str | None = None,
        emotion: str | None = None,
        text: str | None = None,
        details: dict[str, Any] | None = None,
        channel: Channel = Channel.CHAT,
    ) -> bool:
        """Records one entry on the case; False when the case is unknown or the entry was already there."""
        try:
            with self.store.session() as session:
                case = session.scalar(select(Case).where(Case.reference == reference.upper()))
                if case is None:
                    return False
                if session.scalar(select(JournalEntry.id).where(JournalEntry.dedup_key == dedup_key[:120])):
                    return False
                names = [case.debtor.first_name, case.debtor.last_name]
                session.add(
                    JournalEntry(
                        case=case,
                        channel=channel,
                        kind=kind,
                        intent=intent,
                        emotion=emotion,
                        text=mask(text, names)[:MAX_TEXT] if text else None,
                        details=details,
                        dedup_key=dedup_key[:120],
                    )
                )
            return True
        except IntegrityError:  # the same entry written by a concurrent retry
            return False

    def entries(self, reference: str) -> list[JournalEntry]:
        with self.store.session() as session:
            rows = session.scalars(
                select(JournalEntry).join(Case).where(Case.reference == reference.upper()).order_by(JournalEntry.id)
            ).all()
            session.expunge_all()
            return list(rows)
