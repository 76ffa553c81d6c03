"""The report's charts as PNG bytes (matplotlib, Agg backend, no pyplot state); None when there is nothing to draw.

Colours are the Okabe–Ito palette (readable with colour-vision deficiencies); every chart also has its figures
in a table of the HTML report.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from bot.reports.kpis import Month, Week  # noqa: E402
from bot.reports.labels import emotion_fr, reason_fr  # noqa: E402

BLUE, ORANGE, GREEN, VERMILLION, SKY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9"
MONTHS_SHORT = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
DPI = 100
MIN_SLOTS = 8


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _euros(value: float, _position: int) -> str:
    return f"{value:,.0f} €".replace(",", "\xa0")


def _integers(axes) -> None:  # type: ignore[no-untyped-def]
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))


def _style(axes) -> None:  # type: ignore[no-untyped-def]
    axes.spines["top"].set_visible(False)
    axes.spines["right"].set_visible(False)
    axes.grid(axis="y", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)


def agreements_per_week_png(weeks: Sequence[Week]) -> bytes | None:
    """Two panels sharing the weeks: number of agreements, amount agreed."""
    if not any(week.agreements for week in weeks):
        return None
    labels = [f"{week.start.day} {MONTHS_SHORT[week.start.month - 1]}" for week in weeks]
    positions = range(len(weeks))
    figure = Figure(figsize=(max(7.0, 0.45 * len(weeks) + 2), 5.2))
    count_axes, amount_axes = figure.subplots(2, 1, sharex=True)
    count_axes.bar(positions, [week.agreements for week in weeks], color=BLUE)
    count_axes.set_ylabel("accords")
    count_axes.set_title("Accords conclus par semaine (semaine du lundi indiqué)")
    _integers(count_axes)
    amount_axes.bar(positions, [float(week.amount) for week in weeks], color=GREEN)
    amount_axes.set_ylabel("montant accordé")
    amount_axes.yaxis.set_major_formatter(FuncFormatter(_euros))
    amount_axes.set_xticks(list(positions))
    amount_axes.set_xticklabels(labels, rotation=60, ha="right", fontsize=8)
    if len(weeks) < MIN_SLOTS:  # a few weeks: keep the bars narrow and centred
        margin = (MIN_SLOTS - len(weeks)) / 2 + 0.5
        amount_axes.set_xlim(-margin, len(weeks) - 1 + margin)
    for axes in (count_axes, amount_axes):
        _style(axes)
    return _png(figure)


def _horizontal_bars(items: Sequence[tuple[str, int]], title: str, colour: str, xlabel: str) -> bytes | None:
    if not items:
        return None
    figure = Figure(figsize=(7.0, max(2.4, 0.45 * len(items) + 1.4)))
    axes = figure.subplots()
    labels = [label for label, _ in items][::-1]
    values = [value for _, value in items][::-1]
    bars = axes.barh(range(len(items)), values, color=colour)
    axes.set_yticks(range(len(items)))
    axes.set_yticklabels(labels)
    axes.bar_label(bars, padding=3, fontsize=9)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(xlabel)
    axes.set_title(title)
    axes.spines["top"].set_visible(False)
    axes.spines["right"].set_visible(False)
    axes.margins(x=0.12)
    return _png(figure)


def emotions_png(emotions: dict[str, int]) -> bytes | None:
    items = [(emotion_fr(emotion), count) for emotion, count in emotions.items()]
    return _horizontal_bars(items, "Émotions rencontrées", VERMILLION, "messages")


def handover_reasons_png(by_reason: dict[str, int]) -> bytes | None:
    items = [(reason_fr(reason), count) for reason, count in by_reason.items()]
    return _horizontal_bars(items, "Passages à un conseiller par motif", ORANGE, "demandes de rappel")


def satisfaction_png(distribution: dict[int, int]) -> bytes | None:
    if not any(distribution.values()):
        return None
    figure = Figure(figsize=(6.0, 3.6))
    axes = figure.subplots()
    ratings = sorted(distribution)
    bars = axes.bar([str(rating) for rating in ratings], [distribution[rating] for rating in ratings], color=SKY)
    axes.bar_label(bars, padding=2, fontsize=9)
    axes.set_xlabel("note (1 = pas du tout satisfait, 5 = très satisfait)")
    axes.set_ylabel("notes")
    axes.set_title("Répartition des notes de satisfaction")
    _integers(axes)
    _style(axes)
    axes.margins(y=0.15)
    return _png(figure)


def promises_png(months: Sequence[Month]) -> bytes | None:
    """Kept and missed lines per month of due date, with the kept rate above each bar."""
    if not months:
        return None
    figure = Figure(figsize=(max(6.0, 0.7 * len(months) + 2.5), 3.8))
    axes = figure.subplots()
    labels = [f"{MONTHS_SHORT[month.start.month - 1]} {month.start.year}" for month in months]
    kept = [month.kept for month in months]
    missed = [month.due - month.kept for month in months]
    axes.bar(labels, kept, color=GREEN, label="tenues")
    axes.bar(labels, missed, bottom=kept, color=ORANGE, label="manquées", hatch="//", edgecolor="white")
    for index, month in enumerate(months):
        rate = Decimal(month.kept * 100) / Decimal(month.due)
        axes.annotate(
            f"{rate:.0f} %",
            (index, month.due),
            textcoords="offset points",
            xytext=(0, 3),
            ha="center",
            fontsize=9,
        )
    if len(months) < MIN_SLOTS // 2:  # a few months: keep the bars narrow and centred
        margin = (MIN_SLOTS // 2 - len(months)) / 2 + 0.5
        axes.set_xlim(-margin, len(months) - 1 + margin)
    axes.set_ylabel("échéances")
    axes.set_title("Promesses tenues par mois d'échéance")
    axes.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes.tick_params(axis="x", labelrotation=45)
    _integers(axes)
    _style(axes)
    axes.margins(y=0.18)
    return _png(figure)
