"""The KPI report as one self-contained, accessible French HTML page (charts embedded as PNG data URIs).

Accessibility: `lang="fr"`, one `h1` then an `h2` per section, every table with a caption and header scopes,
every chart with an alternative text that states its figures and the same figures in a table beside it.
Every value coming from the store (a hand-over reason, an emotion) is escaped, never rendered as markup.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from html import escape

from bot.reports import charts
from bot.reports.kpis import KpiReport
from bot.reports.labels import (
    DEFINITIONS_FR,
    NOT_AVAILABLE,
    count_fr,
    days_fr,
    decimal_fr,
    emotion_fr,
    kind_fr,
    month_fr,
    percent_fr,
    period_fr,
    plural,
    reason_fr,
    status_fr,
)
from bot.reports.text import (
    agreements_lines,
    emotions_line,
    handover_lines,
    promises_line,
    recovery_line,
    satisfaction_line,
    time_line,
)
from bot.text import format_date, format_euros

STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1a1a1a;
       background: #fff; margin: 0; line-height: 1.5; }
header, main, footer { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
header { border-bottom: 3px solid #0072B2; padding-bottom: .5rem; }
h1 { font-size: 1.7rem; margin: 1.2rem 0 .3rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
table { border-collapse: collapse; margin: 1rem 0; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #bbb; padding: .35rem .6rem; text-align: left; vertical-align: top; }
thead th { background: #eef3f8; }
td.nombre { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #e5e5e5; }
figcaption { font-size: .95rem; color: #333; }
.absent { font-style: italic; color: #444; }
dt { font-weight: 600; margin-top: .5rem; }
dd { margin-left: 1rem; }
footer { color: #444; font-size: .9rem; margin-top: 2rem; padding-bottom: 2rem; }
"""


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _cell(value: str, *, number: bool = False) -> str:
    return f'<td class="nombre">{escape(value)}</td>' if number else f"<td>{escape(value)}</td>"


def table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[bool]) -> str:
    head = "".join(f'<th scope="col">{escape(header)}</th>' for header in headers)
    body = []
    for row in rows:
        first, *rest = row
        cells = "".join(_cell(value, number=is_number) for value, is_number in zip(rest, numeric[1:]))
        body.append(f'<tr><th scope="row">{escape(first)}</th>{cells}</tr>')
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def figure(png: bytes | None, alt: str, caption: str) -> str:
    if png is None:
        return f'<p class="absent">{escape(caption)} : aucune donnée à représenter sur la période.</p>'
    return (
        f'<figure><img src="{data_uri(png)}" alt="{escape(alt, quote=True)}">'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def section(anchor: str, title: str, *parts: str) -> str:
    return f'<section aria-labelledby="{anchor}"><h2 id="{anchor}">{escape(title)}</h2>{"".join(parts)}</section>'


def paragraph(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def summary_rows(report: KpiReport) -> list[tuple[str, str, str]]:
    """Indicator, value, detail: the key figures of the period."""
    conversations, agreements, promises = report.conversations, report.agreements, report.promises
    recovery, delay, handovers, satisfaction = (
        report.recovery,
        report.time_to_agreement,
        report.handovers,
        report.satisfaction,
    )
    rows = []
    if conversations is None:
        rows.append(("Conversations", NOT_AVAILABLE, "aucune vérification d'identité inscrite au journal"))
        rows.append(("Taux d'identification", NOT_AVAILABLE, ""))
    else:
        rows.append(("Conversations", count_fr(conversations.count), "d'après les vérifications d'identité"))
        rows.append(
            (
                "Taux d'identification",
                percent_fr(conversations.identification_rate),
                f"{count_fr(conversations.identified)} sur {count_fr(conversations.with_outcome)}"
                " dont l'issue est connue",
            )
        )
    detail = f"{format_euros(agreements.amount)} accordés"
    if agreements.discount:
        detail += f", dont remises {format_euros(agreements.discount)}"
    if agreements.replaced:
        detail += f" ; {plural(agreements.replaced, 'accord remplacé', 'accords remplacés')} ensuite"
    rows.append(("Accords", count_fr(agreements.count), detail))
    rows.append(
        (
            "Promesses tenues",
            percent_fr(promises.kept_rate),
            f"{count_fr(promises.lines_kept)} échéances sur {count_fr(promises.lines_due)} ;"
            f" {format_euros(promises.amount_kept)} sur {format_euros(promises.amount_due)}",
        )
    )
    rows.append(
        (
            "Taux de recouvrement",
            percent_fr(recovery.rate),
            f"{format_euros(recovery.received)} reçus sur {format_euros(recovery.due_at_start)} dus",
        )
    )
    rows.append(
        (
            "Délai médian jusqu'à l'accord",
            days_fr(delay.median_days),
            plural(delay.measured, "accord mesuré", "accords mesurés"),
        )
    )
    rows.append(
        (
            "Passages à un conseiller",
            count_fr(handovers.total),
            f"taux {NOT_AVAILABLE}"
            if handovers.conversations is None
            else f"{percent_fr(handovers.rate)} des conversations",
        )
    )
    if report.emotions:
        emotion, count = next(iter(report.emotions.items()))
        detail = f"{plural(count, 'message', 'messages')} sur {count_fr(sum(report.emotions.values()))}"
        rows.append(("Émotion la plus fréquente", emotion_fr(emotion), detail))
    else:
        rows.append(("Émotion la plus fréquente", "aucune", "aucune émotion inscrite au journal"))
    if satisfaction is None:
        rows.append(("Satisfaction", NOT_AVAILABLE, "la base ne contient pas de notes"))
    elif satisfaction.mean is None:
        rows.append(("Satisfaction", "aucune note", ""))
    else:
        rows.append(
            (
                "Satisfaction",
                f"{decimal_fr(satisfaction.mean, 2)} / 5",
                plural(satisfaction.count, "note", "notes"),
            )
        )
    return rows


def _agreements_section(report: KpiReport) -> str:
    agreements = report.agreements
    weeks = [week for week in agreements.weeks if week.agreements]
    busiest = max(weeks, key=lambda week: (week.agreements, week.amount), default=None)
    alt = (
        f"Deux diagrammes en barres par semaine : {plural(agreements.count, 'accord', 'accords')} pour"
        f" {format_euros(agreements.amount)} sur la période, répartis sur"
        f" {plural(len(weeks), 'semaine', 'semaines')}"
    )
    if busiest:
        alt += (
            f" ; semaine la plus active : celle du {format_date(busiest.start)}"
            f" ({plural(busiest.agreements, 'accord', 'accords')}, {format_euros(busiest.amount)})."
        )
    parts = [paragraph(line.strip()) for line in agreements_lines(report)]
    parts.append(
        figure(charts.agreements_per_week_png(agreements.weeks), alt, "Accords et montants accordés par semaine")
    )
    if weeks:
        parts.append(
            table(
                "Accords par semaine (semaines sans accord omises)",
                ("Semaine du", "Accords", "Montant accordé"),
                [(format_date(w.start), count_fr(w.agreements), format_euros(w.amount)) for w in weeks],
                (False, True, True),
            )
        )
    if agreements.by_kind or agreements.by_status:
        rows = [(kind_fr(kind), count_fr(count)) for kind, count in agreements.by_kind.items()]
        parts.append(table("Accords par type", ("Type", "Accords"), rows, (False, True)))
        rows = [(status_fr(status), count_fr(count)) for status, count in agreements.by_status.items()]
        parts.append(table("Accords par état au jour du rapport", ("État", "Accords"), rows, (False, True)))
    parts.append(paragraph(time_line(report)))
    return section("accords", "Accords", *parts)


def _promises_section(report: KpiReport) -> str:
    promises = report.promises
    months = promises.months
    alt = (
        f"Diagramme en barres empilées par mois d'échéance : {count_fr(promises.lines_kept)} échéances tenues sur"
        f" {count_fr(promises.lines_due)}, soit {percent_fr(promises.kept_rate)}. "
        + " ; ".join(f"{month_fr(m.start)} : {m.kept} sur {m.due}" for m in months)
    )
    parts = [paragraph(promises_line(report)), figure(charts.promises_png(months), alt, "Promesses tenues par mois")]
    if months:
        parts.append(
            table(
                "Échéances arrivées à terme par mois",
                ("Mois", "Échéances", "Tenues", "Manquées", "Taux tenu"),
                [
                    (
                        month_fr(month.start),
                        count_fr(month.due),
                        count_fr(month.kept),
                        count_fr(month.due - month.kept),
                        percent_fr(month.kept / month.due),
                    )
                    for month in months
                ],
                (False, True, True, True, True),
            )
        )
    parts.append(paragraph(recovery_line(report)))
    return section("promesses", "Promesses tenues et recouvrement", *parts)


def _handovers_section(report: KpiReport) -> str:
    handovers = report.handovers
    items = ", ".join(f"{reason_fr(reason)} : {count}" for reason, count in handovers.by_reason.items())
    alt = f"Diagramme en barres horizontales des motifs de passage à un conseiller : {items}."
    parts = [paragraph(handover_lines(report)[0])]
    parts.append(figure(charts.handover_reasons_png(handovers.by_reason), alt, "Passages à un conseiller par motif"))
    if handovers.by_reason:
        parts.append(
            table(
                "Passages à un conseiller par motif",
                ("Motif", "Demandes de rappel", "Part des conversations"),
                [
                    (
                        reason_fr(reason),
                        count_fr(count),
                        NOT_AVAILABLE if handovers.conversations is None else percent_fr(handovers.reason_rate(reason)),
                    )
                    for reason, count in handovers.by_reason.items()
                ],
                (False, True, True),
            )
        )
    return section("conseiller", "Passages à un conseiller", *parts)


def _emotions_section(report: KpiReport) -> str:
    total = sum(report.emotions.values())
    items = ", ".join(f"{emotion_fr(emotion)} : {count}" for emotion, count in report.emotions.items())
    alt = f"Diagramme en barres horizontales des émotions rencontrées : {items}."
    parts = [
        paragraph(emotions_line(report)),
        figure(charts.emotions_png(report.emotions), alt, "Émotions rencontrées"),
    ]
    if report.emotions:
        parts.append(
            table(
                "Émotions détectées dans les messages du journal",
                ("Émotion", "Messages", "Part"),
                [
                    (emotion_fr(emotion), count_fr(count), percent_fr(count / total))
                    for emotion, count in report.emotions.items()
                ],
                (False, True, True),
            )
        )
    return section("emotions", "Émotions rencontrées", *parts)


def _satisfaction_section(report: KpiReport) -> str:
    satisfaction = report.satisfaction
    if satisfaction is None:
        return section("satisfaction", "Satisfaction", paragraph(satisfaction_line(report)))
    spread = ", ".join(f"note {rating} : {count}" for rating, count in satisfaction.distribution.items())
    mean = "" if satisfaction.mean is None else f"moyenne {decimal_fr(satisfaction.mean, 2)} sur 5, "
    alt = f"Diagramme en barres des notes de satisfaction : {mean}{spread}."
    parts = [
        paragraph(satisfaction_line(report)),
        figure(charts.satisfaction_png(satisfaction.distribution), alt, "Répartition des notes de satisfaction"),
    ]
    if satisfaction.count:
        parts.append(
            table(
                "Notes de satisfaction",
                ("Note", "Nombre", "Part"),
                [
                    (str(rating), count_fr(count), percent_fr(count / satisfaction.count))
                    for rating, count in satisfaction.distribution.items()
                ],
                (False, True, True),
            )
        )
    return section("satisfaction", "Satisfaction", *parts)


def render_html(report: KpiReport) -> str:
    period = period_fr(report.period)
    definitions = "".join(f"<dt>{escape(name)}</dt><dd>{escape(text)}</dd>" for name, text in DEFINITIONS_FR)
    summary = table(
        f"Indicateurs clés {period}",
        ("Indicateur", "Valeur", "Détail"),
        summary_rows(report),
        (False, True, False),
    )
    body = "".join(
        (
            section("synthese", "Synthèse", summary),
            _agreements_section(report),
            _promises_section(report),
            _handovers_section(report),
            _emotions_section(report),
            _satisfaction_section(report),
            section("definitions", "Définitions", f"<dl>{definitions}</dl>"),
        )
    )
    title = f"Indicateurs de recouvrement amiable {period}"
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} — Amiable</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{escape(title)}</h1>"
        f"<p>Calculés le {escape(format_date(report.today))} à partir de la base des dossiers.</p></header>\n"
        f"<main>{body}</main>\n"
        "<footer><p>Rapport produit par Amiable (amiable report kpis). Les délais et taux sont définis en fin"
        " de rapport.</p></footer>\n</body>\n</html>\n"
    )
