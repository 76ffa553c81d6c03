"""The team lead's KPIs, computed from a `KpiSource` over a period.

Definitions (also printed with the report, see `DEFINITIONS`):
- conversations: the verification entries of the journal, one per conversation id of their details (an entry
  without one counts as one conversation); none at all → not available;
- identification rate: conversations with a successful verification / conversations whose outcome is recorded
  (`details.verified`);
- agreements: arrangements accepted in the period (accepted_on, else the day written) and still in force or
  concluded (accepted, kept, broken); a renegotiated plan replaces the earlier one, counted apart;
- promise-kept rate: schedule lines of those arrangements due in the period whose grace days are over on the
  report day, paid / due (in number and in euros);
- recovery rate: payments received in the period / what was due at its start on the cases opened by its end
  (claims minus the payments received before the period);
- time to agreement: days from the case's opening to the agreement, median;
- hand-over rate: callback tasks created in the period / conversations, by reason;
- emotions met: journal entries of the period carrying an emotion;
- satisfaction: the 1–5 ratings of the period (table `satisfaction_ratings`), when the store records them.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from bot.cases.payments import GRACE_DAYS
from bot.reports.source import AgreementRow, KpiSource, LineRow, Period, VerificationEvent

ZERO = Decimal("0.00")
RATINGS = (1, 2, 3, 4, 5)
Step = Callable[[str], None]


def _rate(numerator: int | Decimal, denominator: int | Decimal) -> float | None:
    """numerator / denominator, None when nothing was measured (exact fraction, rounded once to 4 decimals)."""
    if not denominator:
        return None
    return round(float(Fraction(numerator) / Fraction(denominator)), 4)


def _money_json(amount: Decimal) -> str:
    return f"{amount:.2f}"


@dataclass(frozen=True)
class Conversations:
    count: int
    identified: int  # conversations with a successful verification
    with_outcome: int  # conversations whose verification outcome is recorded

    @property
    def identification_rate(self) -> float | None:
        return _rate(self.identified, self.with_outcome)

    def as_dict(self) -> dict[str, object]:
        return {
            "count": self.count,
            "identified": self.identified,
            "with_outcome": self.with_outcome,
            "identification_rate": self.identification_rate,
        }


@dataclass(frozen=True)
class Week:
    start: date  # the Monday
    agreements: int
    amount: Decimal


@dataclass(frozen=True)
class Agreements:
    count: int
    amount: Decimal  # what the debtors committed to pay (sum of the schedules, discounts deducted)
    discount: Decimal
    replaced: int  # accepted in the period, then replaced by a renegotiated plan
    dated_by_record: int  # dated by the day they were written (no acceptance day kept)
    by_kind: dict[str, int]
    by_status: dict[str, int]
    weeks: list[Week]

    def as_dict(self) -> dict[str, object]:
        return {
            "count": self.count,
            "amount": _money_json(self.amount),
            "discount": _money_json(self.discount),
            "replaced": self.replaced,
            "dated_by_record": self.dated_by_record,
            "by_kind": self.by_kind,
            "by_status": self.by_status,
            "weeks": [
                {
                    "week_start": week.start.isoformat(),
                    "agreements": week.agreements,
                    "amount": _money_json(week.amount),
                }
                for week in self.weeks
            ],
        }


@dataclass(frozen=True)
class Month:
    start: date  # the first of the month
    due: int
    kept: int


@dataclass(frozen=True)
class Promises:
    lines_due: int
    lines_kept: int
    amount_due: Decimal
    amount_kept: Decimal
    pending: int  # due in the period, grace days not over yet: not counted
    months: list[Month]

    @property
    def kept_rate(self) -> float | None:
        return _rate(self.lines_kept, self.lines_due)

    @property
    def amount_kept_rate(self) -> float | None:
        return _rate(self.amount_kept, self.amount_due)

    def as_dict(self) -> dict[str, object]:
        return {
            "lines_due": self.lines_due,
            "lines_kept": self.lines_kept,
            "kept_rate": self.kept_rate,
            "amount_due": _money_json(self.amount_due),
            "amount_kept": _money_json(self.amount_kept),
            "amount_kept_rate": self.amount_kept_rate,
            "pending_not_counted": self.pending,
            "months": [
                {"month": month.start.strftime("%Y-%m"), "due": month.due, "kept": month.kept} for month in self.months
            ],
        }


@dataclass(frozen=True)
class Recovery:
    cases: int
    due_at_start: Decimal
    received: Decimal

    @property
    def rate(self) -> float | None:
        return _rate(self.received, self.due_at_start)

    def as_dict(self) -> dict[str, object]:
        return {
            "cases": self.cases,
            "due_at_start": _money_json(self.due_at_start),
            "received": _money_json(self.received),
            "rate": self.rate,
        }


@dataclass(frozen=True)
class TimeToAgreement:
    median_days: float | None
    measured: int
    excluded: int  # agreement dated before the case was opened (imported history): not measured

    def as_dict(self) -> dict[str, object]:
        return {"median_days": self.median_days, "measured": self.measured, "excluded": self.excluded}


@dataclass(frozen=True)
class Handovers:
    total: int
    by_reason: dict[str, int]  # most frequent first
    conversations: int | None

    @property
    def rate(self) -> float | None:
        return None if self.conversations is None else _rate(self.total, self.conversations)

    def reason_rate(self, reason: str) -> float | None:
        return None if self.conversations is None else _rate(self.by_reason.get(reason, 0), self.conversations)

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "rate": self.rate,
            "by_reason": {
                reason: {"count": count, "rate": self.reason_rate(reason)} for reason, count in self.by_reason.items()
            },
        }


@dataclass(frozen=True)
class Satisfaction:
    count: int
    distribution: dict[int, int]  # 1..5 → number of ratings

    @property
    def mean(self) -> Decimal | None:
        if not self.count:
            return None
        total = sum(rating * number for rating, number in self.distribution.items())
        return (Decimal(total) / Decimal(self.count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def as_dict(self) -> dict[str, object]:
        return {
            "available": True,
            "count": self.count,
            "mean": None if self.mean is None else float(self.mean),
            "distribution": {str(rating): number for rating, number in self.distribution.items()},
        }


@dataclass(frozen=True)
class KpiReport:
    period: Period
    today: date
    conversations: Conversations | None  # None: no verification entry in the period (not available)
    agreements: Agreements
    promises: Promises
    recovery: Recovery
    time_to_agreement: TimeToAgreement
    handovers: Handovers
    emotions: dict[str, int]  # most frequent first
    satisfaction: Satisfaction | None  # None: the store does not record ratings (not available)
    grace_days: int = GRACE_DAYS

    def as_dict(self) -> dict[str, object]:
        return {
            "period": {
                "since": self.period.since.isoformat() if self.period.since else None,
                "until": self.period.until.isoformat(),
            },
            "today": self.today.isoformat(),
            "conversations": (
                self.conversations.as_dict() if self.conversations else {"available": False, "count": None}
            ),
            "agreements": self.agreements.as_dict(),
            "promises": {**self.promises.as_dict(), "grace_days": self.grace_days},
            "recovery": self.recovery.as_dict(),
            "time_to_agreement": self.time_to_agreement.as_dict(),
            "handovers": self.handovers.as_dict(),
            "emotions": self.emotions,
            "satisfaction": self.satisfaction.as_dict() if self.satisfaction else {"available": False},
        }


# ---------------------------------------------------------------- computations (pure, on plain rows)


def conversations_of(events: Iterable[VerificationEvent]) -> Conversations | None:
    outcomes: dict[str, bool | None] = {}
    for event in events:
        key = f"conversation:{event.conversation}" if event.conversation else f"entry:{event.entry_id}"
        known = outcomes.get(key)
        if event.verified is None:
            outcomes.setdefault(key, None)
        else:
            outcomes[key] = bool(known) or event.verified
    if not outcomes:
        return None
    return Conversations(
        count=len(outcomes),
        identified=sum(1 for outcome in outcomes.values() if outcome is True),
        with_outcome=sum(1 for outcome in outcomes.values() if outcome is not None),
    )


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weeks_between(first: date, last: date) -> list[date]:
    weeks, monday = [], monday_of(first)
    while monday <= last:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def _by_frequency(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(((key, count) for key, count in counts.items() if count), key=lambda item: (-item[1], item[0])))


def agreements_of(rows: list[AgreementRow], replaced: int, period: Period) -> Agreements:
    days = [row.day for row in rows]
    first = period.since or (min(days) if days else None)
    weeks: list[Week] = []
    if first is not None and (days or period.since is not None):
        last = max(days) if period.since is None else period.until
        for monday in _weeks_between(first, last):
            inside = [row for row in rows if monday_of(row.day) == monday]
            weeks.append(Week(monday, len(inside), sum((row.total for row in inside), ZERO)))
    return Agreements(
        count=len(rows),
        amount=sum((row.total for row in rows), ZERO),
        discount=sum((row.discount for row in rows), ZERO),
        replaced=replaced,
        dated_by_record=sum(1 for row in rows if row.dated_by_record),
        by_kind=_by_frequency(Counter(row.kind for row in rows)),
        by_status=_by_frequency(Counter(row.status for row in rows)),
        weeks=weeks,
    )


def promises_of(lines: list[LineRow], today: date, grace: int = GRACE_DAYS) -> Promises:
    """Lines whose due date + grace is before `today` are judged: kept when paid (set by the follow-up)."""
    judged = [line for line in lines if line.due_date + timedelta(days=grace) < today]
    months: dict[date, list[LineRow]] = {}
    for line in judged:
        months.setdefault(line.due_date.replace(day=1), []).append(line)
    kept = [line for line in judged if line.paid]
    return Promises(
        lines_due=len(judged),
        lines_kept=len(kept),
        amount_due=sum((line.amount for line in judged), ZERO),
        amount_kept=sum((line.amount for line in kept), ZERO),
        pending=len(lines) - len(judged),
        months=[
            Month(start, len(month), sum(1 for line in month if line.paid)) for start, month in sorted(months.items())
        ],
    )


def time_to_agreement_of(rows: list[AgreementRow]) -> TimeToAgreement:
    delays = [(row.day - row.case_opened_on).days for row in rows]
    measured = [delay for delay in delays if delay >= 0]
    return TimeToAgreement(
        median_days=float(statistics.median(measured)) if measured else None,
        measured=len(measured),
        excluded=len(delays) - len(measured),
    )


def satisfaction_of(ratings: list[int] | None) -> Satisfaction | None:
    if ratings is None:
        return None
    counts = Counter(ratings)
    return Satisfaction(count=len(ratings), distribution={rating: counts.get(rating, 0) for rating in RATINGS})


def compute_kpis(source: KpiSource, period: Period, today: date, step: Step | None = None) -> KpiReport:
    """Every KPI of the period; `step` is told what is being read (for a progress display)."""

    def reading(what: str) -> None:
        if step:
            step(what)

    reading("conversations et identification")
    conversations = conversations_of(source.verifications(period))
    reading("accords")
    agreement_rows = source.agreements(period)
    agreements = agreements_of(agreement_rows, source.replaced_agreements(period), period)
    reading("échéances")
    promises = promises_of(source.schedule_lines(period), today)
    reading("paiements")
    base = source.recovery(period)
    recovery = Recovery(cases=base.cases, due_at_start=base.claimed - base.paid_before, received=base.received)
    reading("passages à un conseiller")
    reasons = _by_frequency(source.handover_reasons(period))
    handovers = Handovers(
        total=sum(reasons.values()),
        by_reason=reasons,
        conversations=conversations.count if conversations else None,
    )
    reading("émotions")
    emotions = _by_frequency(source.emotions(period))
    reading("satisfaction")
    satisfaction = satisfaction_of(source.satisfaction_ratings(period))
    return KpiReport(
        period=period,
        today=today,
        conversations=conversations,
        agreements=agreements,
        promises=promises,
        recovery=recovery,
        time_to_agreement=time_to_agreement_of(agreement_rows),
        handovers=handovers,
        emotions=emotions,
        satisfaction=satisfaction,
    )
