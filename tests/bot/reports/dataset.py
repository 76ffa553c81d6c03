"""A small case store written row by row, whose KPIs are worked out by hand below.

Main period: 1 to 20 November 2026, report computed on 25 November 2026 (grace of 5 days: lines due up to
19 November are judged, the one due on the 20th is still pending).

Cases (claim, opened): A 1 000,00 € on 1 Oct · B 525,50 € on 3 Nov · C 300,00 € on 15 Sep · D 200,00 € on 21 Nov.
Payments: A 100 (10 Oct), 150 (5 Nov), 50 (21 Nov) · B 75,50 (10 Nov) · C 300 (20 Sep) · D 20 (22 Nov).
Arrangements:
- A1 accepted 5 Oct, then replaced (annule) · A3 accepted 2 Nov, replaced (annule) → 1 replaced in the period;
- A2 échéancier accepté 4 Nov: 150 on 5 Nov (paid), 150 on 19 Nov (unpaid), 150 on 20 Nov, 450 on 5 Dec;
- B1 premier pas accepté 10 Nov, discount 10: 75,50 on 10 Nov (paid), 440 on 10 Dec;
- C0 proposed on 2 Nov (never agreed): 100 on 8 Nov; C1 paiement total tenu, no accepted_on, written 12 Nov:
  300 on 12 Nov (paid);
- D1 échéancier rompu accepted 15 Nov (before D was opened): 50 on 16 Nov (unpaid), 50 on 30 Nov.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import MetaData, Table, insert

from bot.cases import CaseStore
from bot.cases.models import (
    Arrangement,
    ArrangementKind,
    ArrangementStatus,
    CallbackTask,
    Case,
    Channel,
    Creditor,
    Debtor,
    JournalEntry,
    JournalKind,
    Payment,
    PaymentMethod,
    ScheduleLine,
    Sector,
    TaskStatus,
)
from bot.reports.kpis import KpiReport

SINCE, UNTIL, TODAY = date(2026, 11, 1), date(2026, 11, 20), date(2026, 11, 25)


def _euros(text: str) -> Decimal:
    return Decimal(text)


def _case(creditor: Creditor, number: int, principal: str, opened: datetime, **amounts: str) -> Case:
    debtor = Debtor(
        first_name=f"Prénom{number}",
        last_name=f"Nom{number}",
        birth_date=date(1980, 1, number),
        postcode="75011",
    )
    return Case(
        reference=f"REC-2026-00000{number}",
        debtor=debtor,
        creditor=creditor,
        nature="Factures impayées",
        principal=_euros(principal),
        interest=_euros(amounts.get("interest", "0")),
        accessories=_euros(amounts.get("accessories", "0")),
        due_date=date(2026, 8, 1),
        opened_at=opened,
    )


def _arrangement(
    kind: ArrangementKind,
    status: ArrangementStatus,
    lines: list[tuple[date, str, bool]],
    *,
    accepted_on: date | None,
    created_at: datetime,
    discount: str = "0",
) -> Arrangement:
    return Arrangement(
        kind=kind,
        status=status,
        channel=Channel.CHAT,
        discount=_euros(discount),
        accepted_on=accepted_on,
        created_at=created_at,
        lines=[
            ScheduleLine(seq=seq, due_date=due, amount=_euros(amount), paid=paid)
            for seq, (due, amount, paid) in enumerate(lines, 1)
        ],
    )


def _payment(amount: str, day: date) -> Payment:
    return Payment(amount=_euros(amount), paid_on=day, method=PaymentMethod.VIREMENT)


def _journal(
    case: Case, at: datetime, kind: JournalKind, *, emotion: str | None = None, details: object = None
) -> JournalEntry:
    return JournalEntry(case=case, at=at, channel=Channel.CHAT, kind=kind, emotion=emotion, details=details)


def _task(case: Case | None, reason: str, created: datetime) -> CallbackTask:
    return CallbackTask(
        case=case, reason=reason, summary="Résumé.", due_at=created, status=TaskStatus.A_FAIRE, created_at=created
    )


def build(store: CaseStore) -> None:
    """Writes the dataset described in the module docstring into a migrated, empty store."""
    creditor = Creditor(
        key="essai",
        name="Créancier d'essai",
        sector=Sector.TELECOM,
        min_instalment=_euros("15"),
        max_duration_months=12,
        max_discount_pct=_euros("10"),
        max_deferral_days=30,
    )
    a = _case(creditor, 1, "1000.00", datetime(2026, 10, 1, 10, 0))
    b = _case(creditor, 2, "500.00", datetime(2026, 11, 3, 9, 0), interest="20.00", accessories="5.50")
    c = _case(creditor, 3, "300.00", datetime(2026, 9, 15, 8, 0))
    d = _case(creditor, 4, "200.00", datetime(2026, 11, 21, 8, 0))
    a.payments = [
        _payment("100.00", date(2026, 10, 10)),
        _payment("150.00", date(2026, 11, 5)),
        _payment("50.00", date(2026, 11, 21)),
    ]
    b.payments = [_payment("75.50", date(2026, 11, 10))]
    c.payments = [_payment("300.00", date(2026, 9, 20))]
    d.payments = [_payment("20.00", date(2026, 11, 22))]
    echeancier, premier_pas, total = (
        ArrangementKind.ECHEANCIER,
        ArrangementKind.PREMIER_PAS,
        ArrangementKind.PAIEMENT_TOTAL,
    )
    annule, accepte = ArrangementStatus.ANNULE, ArrangementStatus.ACCEPTE
    a.arrangements = [
        _arrangement(
            echeancier,
            annule,
            [(date(2026, 10, 20), "100.00", True)],
            accepted_on=date(2026, 10, 5),
            created_at=datetime(2026, 10, 5, 11, 0),
        ),
        _arrangement(
            echeancier,
            annule,
            [(date(2026, 11, 3), "500.00", False)],
            accepted_on=date(2026, 11, 2),
            created_at=datetime(2026, 11, 2, 11, 0),
        ),
        _arrangement(
            echeancier,
            accepte,
            [
                (date(2026, 11, 5), "150.00", True),
                (date(2026, 11, 19), "150.00", False),
                (date(2026, 11, 20), "150.00", False),
                (date(2026, 12, 5), "450.00", False),
            ],
            accepted_on=date(2026, 11, 4),
            created_at=datetime(2026, 11, 4, 9, 30),
        ),
    ]
    b.arrangements = [
        _arrangement(
            premier_pas,
            accepte,
            [(date(2026, 11, 10), "75.50", True), (date(2026, 12, 10), "440.00", False)],
            accepted_on=date(2026, 11, 10),
            created_at=datetime(2026, 11, 10, 18, 0),
            discount="10.00",
        )
    ]
    c.arrangements = [
        _arrangement(
            echeancier,
            ArrangementStatus.PROPOSE,
            [(date(2026, 11, 8), "100.00", False)],
            accepted_on=None,
            created_at=datetime(2026, 11, 2, 10, 0),
        ),
        _arrangement(
            total,
            ArrangementStatus.TENU,
            [(date(2026, 11, 12), "300.00", True)],
            accepted_on=None,
            created_at=datetime(2026, 11, 12, 15, 0),
        ),
    ]
    d.arrangements = [
        _arrangement(
            echeancier,
            ArrangementStatus.ROMPU,
            [(date(2026, 11, 16), "50.00", False), (date(2026, 11, 30), "50.00", False)],
            accepted_on=date(2026, 11, 15),
            created_at=datetime(2026, 11, 15, 10, 0),
        )
    ]
    verification = JournalKind.VERIFICATION
    journal = [
        _journal(a, datetime(2026, 10, 20, 9, 0), verification, details={"verified": True, "conversation": "c0"}),
        _journal(a, datetime(2026, 11, 4, 9, 0), verification, details={"verified": False, "conversation": "c1"}),
        _journal(a, datetime(2026, 11, 4, 9, 5), verification, details={"verified": True, "conversation": "c1"}),
        _journal(b, datetime(2026, 11, 10, 17, 0), verification, details={"verified": True, "conversation": "c2"}),
        _journal(c, datetime(2026, 11, 12, 14, 0), verification, details={"verified": False, "conversation": "c3"}),
        _journal(c, datetime(2026, 11, 13, 14, 0), verification),
        _journal(b, datetime(2026, 11, 18, 20, 0), verification, details={"verified": True, "conversation": "c4"}),
        _journal(b, datetime(2026, 11, 21, 8, 0), verification, details={"verified": True}),
        _journal(a, datetime(2026, 10, 20, 9, 10), JournalKind.INTENT, emotion="tristesse"),
        _journal(a, datetime(2026, 11, 4, 9, 10), JournalKind.INTENT, emotion="anxiete"),
        _journal(a, datetime(2026, 11, 4, 9, 12), JournalKind.INTENT, emotion="anxiete"),
        _journal(b, datetime(2026, 11, 10, 17, 5), JournalKind.INTENT, emotion="colere"),
        _journal(b, datetime(2026, 11, 10, 17, 6), JournalKind.INTENT, emotion="colere"),
        _journal(b, datetime(2026, 11, 10, 17, 7), JournalKind.INTENT, emotion="soulagement"),
        _journal(c, datetime(2026, 11, 12, 14, 5), JournalKind.INTENT, emotion="anxiete"),
        _journal(c, datetime(2026, 11, 12, 14, 6), JournalKind.INTENT, emotion="neutre"),
        _journal(c, datetime(2026, 11, 12, 14, 7), JournalKind.INTENT),
        _journal(c, datetime(2026, 11, 20, 23, 59), JournalKind.NOTE, emotion="honte"),
    ]
    tasks = [
        _task(a, "conseiller", datetime(2026, 10, 2, 9, 0)),
        _task(a, "vulnerabilite", datetime(2026, 11, 4, 9, 20)),
        _task(b, "conseiller", datetime(2026, 11, 10, 17, 10)),
        _task(c, "vulnerabilite", datetime(2026, 11, 12, 14, 10)),
        _task(None, "colere", datetime(2026, 11, 14, 22, 0)),
    ]
    with store.session() as session:
        session.add_all([a, b, c, d, *journal, *tasks])
    ratings = [
        ("c0", 1, datetime(2026, 10, 20, 9, 30)),
        ("c1", 5, datetime(2026, 11, 4, 9, 40)),
        ("c2", 4, datetime(2026, 11, 10, 18, 5)),
        ("c3", 2, datetime(2026, 11, 12, 14, 30)),
        ("c4", 5, datetime(2026, 11, 18, 20, 30)),
    ]
    add_ratings(store, ratings)


def add_ratings(store: CaseStore, ratings: list[tuple[str, int, datetime]]) -> None:
    """Rows of `satisfaction_ratings` (created by migration 0003), written through the reflected table."""
    with store.session() as session:
        table = Table("satisfaction_ratings", MetaData(), autoload_with=session.connection())
        for conversation, rating, at in ratings:
            session.execute(insert(table).values(conversation_id=conversation, rating=rating, created_at=at))


def assert_november_figures(report: KpiReport) -> None:
    """The KPIs of 1–20 November 2026 on 25 November, worked out by hand from the module docstring."""
    conversations = report.conversations
    assert conversations is not None
    # c1 (failed then verified), c2, c3 (failed), entry without details, c4 — c0 before, the 21 Nov one after
    assert (conversations.count, conversations.identified, conversations.with_outcome) == (5, 3, 4)
    assert conversations.identification_rate == 0.75

    agreements = report.agreements
    assert agreements.count == 4  # A2, B1, C1 (dated by its record), D1 — not C0 (proposed) nor A3 (replaced)
    assert agreements.amount == Decimal("1815.50")  # 900 + 515,50 + 300 + 100
    assert agreements.discount == Decimal("10.00")
    assert (agreements.replaced, agreements.dated_by_record) == (1, 1)
    assert agreements.by_kind == {"echeancier": 2, "paiement_total": 1, "premier_pas": 1}
    assert agreements.by_status == {"accepte": 2, "rompu": 1, "tenu": 1}
    assert [(week.start, week.agreements, week.amount) for week in agreements.weeks] == [
        (date(2026, 10, 26), 0, Decimal("0.00")),
        (date(2026, 11, 2), 1, Decimal("900.00")),
        (date(2026, 11, 9), 3, Decimal("915.50")),  # 10, 12 and 15 (a Sunday) November
        (date(2026, 11, 16), 0, Decimal("0.00")),
    ]

    promises = report.promises
    # judged: A2 5 Nov (paid), A2 19 Nov, B1 10 Nov (paid), C1 12 Nov (paid), D1 16 Nov; A2 20 Nov pending
    assert (promises.lines_due, promises.lines_kept, promises.pending) == (5, 3, 1)
    assert (promises.amount_due, promises.amount_kept) == (Decimal("725.50"), Decimal("525.50"))
    assert promises.kept_rate == 0.6 and promises.amount_kept_rate == 0.7243
    assert [(month.start, month.due, month.kept) for month in promises.months] == [(date(2026, 11, 1), 5, 3)]

    recovery = report.recovery
    # cases A, B, C (D opened after the period): 1 825,50 claimed − 400 received before = 1 425,50
    assert recovery.cases == 3
    assert (recovery.due_at_start, recovery.received) == (Decimal("1425.50"), Decimal("225.50"))
    assert recovery.rate == 0.1582

    delay = report.time_to_agreement
    assert (delay.median_days, delay.measured, delay.excluded) == (34.0, 3, 1)  # 7, 34, 58; D1 before D opened

    handovers = report.handovers
    assert handovers.by_reason == {"vulnerabilite": 2, "colere": 1, "conseiller": 1}
    assert (handovers.total, handovers.rate, handovers.reason_rate("vulnerabilite")) == (4, 0.8, 0.4)

    assert report.emotions == {"anxiete": 3, "colere": 2, "honte": 1, "neutre": 1, "soulagement": 1}

    satisfaction = report.satisfaction
    assert satisfaction is not None
    assert satisfaction.count == 4 and satisfaction.mean == Decimal("4.00")
    assert satisfaction.distribution == {1: 0, 2: 1, 3: 0, 4: 1, 5: 2}
