"""KPI figures computed exactly on a hand-built store, over several periods, and on an empty store."""

from __future__ import annotations

import io
import time
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text

from bot.cases import CaseStore
from bot.cases.db import get_engine
from bot.reports.kpis import KpiReport, compute_kpis, conversations_of, promises_of
from bot.reports.labels import count_fr, days_fr, percent_fr
from bot.reports.progress import DelayedProgress
from bot.reports.source import LineRow, Period, StoreSource, VerificationEvent
from bot.reports.text import render_text
from tests.bot.reports import dataset
from tests.bot.reports.dataset import SINCE, TODAY, UNTIL

NNBSP = "\u202f"


def kpis(store: CaseStore, since: date | None, until: date, today: date = TODAY) -> KpiReport:
    source = StoreSource(store.url)
    with source.reading():
        return compute_kpis(source, Period(since, until), today)


def test_figures_of_the_period_are_exact(kpi_store: CaseStore) -> None:
    report = kpis(kpi_store, SINCE, UNTIL)
    dataset.assert_november_figures(report)
    assert list(report.emotions) == ["anxiete", "colere", "honte", "neutre", "soulagement"]  # most frequent first
    assert list(report.handovers.by_reason)[0] == "vulnerabilite"


def test_without_since_everything_up_to_until_counts(kpi_store: CaseStore) -> None:
    report = kpis(kpi_store, None, UNTIL)
    assert report.conversations is not None
    assert (report.conversations.count, report.conversations.identified, report.conversations.with_outcome) == (
        6,
        4,
        5,
    )  # c0 in October joins
    assert report.agreements.count == 4 and report.agreements.replaced == 2  # A1 (October) is replaced too
    assert report.agreements.weeks[0].start == date(2026, 11, 2)  # from the first agreement's week
    # A1 is annulled: its October line is not a promise still held
    assert (report.promises.lines_due, report.promises.lines_kept) == (5, 3)
    assert report.recovery.due_at_start == Decimal("1825.50") and report.recovery.received == Decimal("625.50")
    assert report.recovery.rate == 0.3426
    assert report.handovers.by_reason == {"conseiller": 2, "vulnerabilite": 2, "colere": 1}
    assert report.emotions["tristesse"] == 1
    assert report.satisfaction is not None
    assert report.satisfaction.count == 5 and report.satisfaction.mean == Decimal("3.40")


def test_a_later_period_only_sees_its_own_rows(kpi_store: CaseStore) -> None:
    report = kpis(kpi_store, date(2026, 11, 21), date(2026, 11, 25))
    assert report.conversations is not None
    assert (report.conversations.count, report.conversations.identified) == (1, 1)  # no conversation id: one entry
    assert report.agreements.count == 0 and report.agreements.amount == Decimal("0.00")
    assert [week.agreements for week in report.agreements.weeks] == [0, 0]  # weeks of 16 and 23 November
    assert report.promises.lines_due == 0 and report.promises.kept_rate is None
    # D (opened 21 Nov) joins: 2 025,50 claimed − 625,50 received before = 1 400; 50 + 20 received
    assert report.recovery.cases == 4
    assert (report.recovery.due_at_start, report.recovery.received) == (Decimal("1400.00"), Decimal("70.00"))
    assert report.recovery.rate == 0.05
    assert report.time_to_agreement.median_days is None
    assert report.handovers.total == 0 and report.handovers.rate == 0.0
    assert report.emotions == {}
    assert report.satisfaction is not None and report.satisfaction.count == 0 and report.satisfaction.mean is None


def test_an_empty_store_reports_nothing_measured(sqlite_store: CaseStore) -> None:
    report = kpis(sqlite_store, None, UNTIL)
    assert report.conversations is None
    assert report.agreements.count == 0 and report.agreements.weeks == []
    assert report.promises.kept_rate is None and report.recovery.rate is None
    assert report.time_to_agreement.median_days is None
    assert report.handovers.total == 0 and report.handovers.rate is None
    assert report.emotions == {}
    output = render_text(report)
    assert "Conversations : non disponible" in output
    assert "Taux de recouvrement : non mesurable" in output
    assert "Promesses tenues : non mesurable" in output
    assert "Satisfaction : aucune note sur la période" in output


def test_satisfaction_is_not_available_without_its_table(kpi_store: CaseStore) -> None:
    with get_engine(kpi_store.url).begin() as connection:
        connection.execute(text("DROP TABLE satisfaction_ratings"))
    report = kpis(kpi_store, SINCE, UNTIL)
    assert report.satisfaction is None
    assert report.agreements.count == 4  # everything else is still computed
    assert "Satisfaction : non disponible" in render_text(report)
    assert report.as_dict()["satisfaction"] == {"available": False}


def test_the_text_report_is_french_with_exact_figures(kpi_store: CaseStore) -> None:
    output = render_text(kpis(kpi_store, SINCE, UNTIL))
    assert output.startswith("Indicateurs du 1er novembre 2026 au 20 novembre 2026 (calculés le 25 novembre 2026)")
    assert "Conversations : 5\n" in output
    assert f"Taux d'identification : 75,0{NNBSP}% (3 conversations identifiées sur 4 dont l'issue est connue)" in output
    assert f"Accords : 4 pour 1{NNBSP}815,50\xa0€ (remises accordées : 10,00\xa0€)" in output
    assert "1 accord remplacé par une renégociation" in output
    assert f"Promesses tenues : 60,0{NNBSP}% des échéances (3 sur 5), 72,4{NNBSP}% des montants" in output
    assert f"Taux de recouvrement : 15,8{NNBSP}% (225,50\xa0€ reçus sur 1{NNBSP}425,50\xa0€" in output
    assert "Délai médian jusqu'à l'accord : 34 jours (3 accords mesurés)" in output
    assert f"Passages à un conseiller : 4, soit 80,0{NNBSP}% des conversations" in output
    assert f"  situation de vulnérabilité : 2 (40,0{NNBSP}%)" in output
    assert "Émotions rencontrées : anxiété 3, colère 2, honte 1, neutre 1, soulagement 1" in output
    assert "Satisfaction : 4,00 / 5 sur 4 notes (répartition 1 : 0 · 2 : 1 · 3 : 0 · 4 : 1 · 5 : 2)" in output
    assert "Définitions :" in output


def test_conversations_group_entries_and_read_optional_details() -> None:
    at = datetime(2026, 11, 4, 9, 0)
    events = [
        VerificationEvent(1, 1, at, False, "x"),
        VerificationEvent(2, 1, at, True, "x"),
        VerificationEvent(3, 1, at, True, "y"),
        VerificationEvent(4, 1, at, False, "y"),  # a later failure does not undo the identification
        VerificationEvent(5, 2, at, None, None),
        VerificationEvent(6, 2, at, False, None),
    ]
    conversations = conversations_of(events)
    assert conversations is not None
    assert (conversations.count, conversations.identified, conversations.with_outcome) == (4, 2, 3)
    assert conversations_of([]) is None
    unknown = conversations_of([VerificationEvent(1, 1, at, None, "z")])
    assert unknown is not None and unknown.identification_rate is None


def test_a_line_is_judged_once_its_grace_days_are_over() -> None:
    lines = [
        LineRow(date(2026, 11, 19), Decimal("10.00"), False),  # deadline 24 Nov < 25 Nov: missed
        LineRow(date(2026, 11, 20), Decimal("10.00"), True),  # deadline 25 Nov: not judged yet, even paid
    ]
    promises = promises_of(lines, date(2026, 11, 25))
    assert (promises.lines_due, promises.lines_kept, promises.pending) == (1, 0, 1)
    assert promises_of(lines, date(2026, 11, 26)).lines_kept == 1


def test_period_checks_its_bounds() -> None:
    with pytest.raises(ValueError):
        Period(date(2026, 11, 2), date(2026, 11, 1))
    period = Period(date(2026, 11, 1), date(2026, 11, 1))
    assert period.holds(date(2026, 11, 1)) and not period.holds(date(2026, 11, 2))
    assert period.end == datetime(2026, 11, 2)


def test_french_numbers() -> None:
    assert count_fr(1234567) == f"1{NNBSP}234{NNBSP}567"
    assert percent_fr(0.12345) == f"12,3{NNBSP}%"
    assert percent_fr(0.00005) == f"0,0{NNBSP}%" and percent_fr(None) == "non mesurable"
    assert days_fr(1.0) == "1 jour" and days_fr(2.5) == "2,5 jours" and days_fr(34.0) == "34 jours"


def test_progress_stays_silent_for_quick_work_and_speaks_for_slow_work() -> None:
    quick = io.StringIO()
    with DelayedProgress("Calcul", quick, delay=0.5) as progress:
        progress.step("accords")
    assert quick.getvalue() == ""
    slow = io.StringIO()
    with DelayedProgress("Calcul", slow, delay=0.05) as progress:
        progress.step("accords")
        time.sleep(0.2)  # one long read: the timer names it while it runs
        progress.step("émotions")
    lines = slow.getvalue().splitlines()
    assert lines[:2] == ["Calcul : accords…", "Calcul : émotions…"]
    assert lines[2].startswith("Calcul : terminé en ")
