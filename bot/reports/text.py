"""The KPI report as plain French text (the default output of `amiable report kpis`)."""

from __future__ import annotations

from bot.reports.kpis import KpiReport
from bot.reports.labels import (
    DEFINITIONS_FR,
    NOT_AVAILABLE,
    count_fr,
    days_fr,
    decimal_fr,
    emotion_fr,
    kind_fr,
    percent_fr,
    period_fr,
    plural,
    reason_fr,
)
from bot.text import format_date, format_euros


def conversations_line(report: KpiReport) -> list[str]:
    conversations = report.conversations
    if conversations is None:
        return [
            f"Conversations : {NOT_AVAILABLE} (aucune vérification d'identité inscrite au journal sur la période)",
            f"Taux d'identification : {NOT_AVAILABLE}",
        ]
    if conversations.with_outcome:
        detail = (
            f"{plural(conversations.identified, 'conversation identifiée', 'conversations identifiées')}"
            f" sur {count_fr(conversations.with_outcome)} dont l'issue est connue"
        )
    else:
        detail = "issue des vérifications non renseignée dans le journal"
    return [
        f"Conversations : {count_fr(conversations.count)}",
        f"Taux d'identification : {percent_fr(conversations.identification_rate)} ({detail})",
    ]


def agreements_lines(report: KpiReport) -> list[str]:
    agreements = report.agreements
    line = f"Accords : {count_fr(agreements.count)} pour {format_euros(agreements.amount)}"
    if agreements.discount:
        line += f" (remises accordées : {format_euros(agreements.discount)})"
    if agreements.replaced:
        line += f" ; {plural(agreements.replaced, 'accord remplacé', 'accords remplacés')} par une renégociation"
    if agreements.dated_by_record:
        line += (
            f" ; {plural(agreements.dated_by_record, 'accord daté', 'accords datés')} du jour de"
            f" {'son' if agreements.dated_by_record == 1 else 'leur'} enregistrement"
            " (date d'acceptation non conservée)"
        )
    lines = [line]
    if agreements.by_kind:
        kinds = ", ".join(f"{kind_fr(kind)} {count_fr(count)}" for kind, count in agreements.by_kind.items())
        lines.append(f"  par type : {kinds}")
    return lines


def promises_line(report: KpiReport) -> str:
    promises = report.promises
    if not promises.lines_due:
        line = "Promesses tenues : non mesurable (aucune échéance arrivée à terme sur la période)"
    else:
        line = (
            f"Promesses tenues : {percent_fr(promises.kept_rate)} des échéances"
            f" ({count_fr(promises.lines_kept)} sur {count_fr(promises.lines_due)}),"
            f" {percent_fr(promises.amount_kept_rate)} des montants"
            f" ({format_euros(promises.amount_kept)} sur {format_euros(promises.amount_due)})"
        )
    if promises.pending:
        line += (
            f" ; {plural(promises.pending, 'échéance', 'échéances')} encore dans le délai de grâce"
            f" de {report.grace_days} jours, non comptée{'s' if promises.pending > 1 else ''}"
        )
    return line


def recovery_line(report: KpiReport) -> str:
    recovery = report.recovery
    return (
        f"Taux de recouvrement : {percent_fr(recovery.rate)} ({format_euros(recovery.received)} reçus sur"
        f" {format_euros(recovery.due_at_start)} dus en début de période,"
        f" {plural(recovery.cases, 'dossier', 'dossiers')})"
    )


def time_line(report: KpiReport) -> str:
    delay = report.time_to_agreement
    line = f"Délai médian jusqu'à l'accord : {days_fr(delay.median_days)}"
    if delay.measured:
        line += f" ({plural(delay.measured, 'accord mesuré', 'accords mesurés')})"
    if delay.excluded:
        line += f", {plural(delay.excluded, 'accord antérieur', 'accords antérieurs')} à l'ouverture non pris en compte"
    return line


def handover_lines(report: KpiReport) -> list[str]:
    handovers = report.handovers
    if handovers.conversations is None:
        share = f"taux {NOT_AVAILABLE} sans décompte des conversations"
    else:
        share = f"soit {percent_fr(handovers.rate)} des conversations"
    lines = [f"Passages à un conseiller : {count_fr(handovers.total)}, {share}"]
    for reason, count in handovers.by_reason.items():
        rate = handovers.reason_rate(reason)
        suffix = "" if rate is None else f" ({percent_fr(rate)})"
        lines.append(f"  {reason_fr(reason)} : {count_fr(count)}{suffix}")
    return lines


def emotions_line(report: KpiReport) -> str:
    if not report.emotions:
        return "Émotions rencontrées : aucune émotion inscrite au journal sur la période"
    return "Émotions rencontrées : " + ", ".join(
        f"{emotion_fr(emotion)} {count_fr(count)}" for emotion, count in report.emotions.items()
    )


def satisfaction_line(report: KpiReport) -> str:
    satisfaction = report.satisfaction
    if satisfaction is None:
        return f"Satisfaction : {NOT_AVAILABLE} (la base ne contient pas de notes de satisfaction)"
    if satisfaction.mean is None:
        return "Satisfaction : aucune note sur la période"
    spread = " · ".join(f"{rating} : {count_fr(count)}" for rating, count in satisfaction.distribution.items())
    return (
        f"Satisfaction : {decimal_fr(satisfaction.mean, 2)} / 5 sur"
        f" {plural(satisfaction.count, 'note', 'notes')} (répartition {spread})"
    )


def render_text(report: KpiReport, *, definitions: bool = True) -> str:
    lines = [
        f"Indicateurs {period_fr(report.period)} (calculés le {format_date(report.today)})",
        "",
        *conversations_line(report),
        *agreements_lines(report),
        promises_line(report),
        recovery_line(report),
        time_line(report),
        *handover_lines(report),
        emotions_line(report),
        satisfaction_line(report),
    ]
    if definitions:
        lines += ["", "Définitions :"]
        lines += [f"  {name} : {text}" for name, text in DEFINITIONS_FR]
    return "\n".join(lines)
