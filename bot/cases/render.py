"""A case printed in French for agents (`amiable cases show REF`)."""

from __future__ import annotations

from datetime import date

from bot.cases.schemas import CaseView
from bot.cases.store import broken_arrangement_of, live_arrangement_of
from bot.negotiation.profile import Profile, infer_profile
from bot.text import format_date, format_euros

STATUS_FR = {
    "ouvert": "ouvert",
    "en_negociation": "en négociation",
    "accord": "accord en cours",
    "solde": "soldé",
    "litige": "en litige",
    "clos": "clos",
}
ARRANGEMENT_FR = {
    "paiement_total": "paiement total",
    "echeancier": "échéancier",
    "report": "report",
    "premier_pas": "premier versement",
}
ARRANGEMENT_STATUS_FR = {
    "propose": "proposé",
    "accepte": "accepté",
    "tenu": "tenu",
    "rompu": "rompu",
    "annule": "annulé",
}
METHOD_FR = {
    "virement": "virement",
    "carte": "carte bancaire",
    "prelevement": "prélèvement",
    "cheque": "chèque",
}
DISPUTE_FR = {"ouvert": "ouverte", "resolu": "résolue", "rejete": "rejetée"}


def render_profile(profile: Profile) -> list[str]:
    lines = [f"Profil du débiteur : {profile.label}"]
    lines += [f"  - {evidence}" for evidence in profile.evidence]
    lines.append(f"  Ton conseillé : {profile.tone}")
    return lines


def render_follow_up(case: CaseView, today: date | None = None) -> list[str]:
    """Where the promises stand: the running arrangement's next line, or the last broken one's missed lines."""
    live = live_arrangement_of(case)
    if live is not None:
        paid = sum(1 for line in live.lines if line.paid)
        upcoming = next((line for line in live.lines if not line.paid), None)
        text = (
            f"Suivi : {ARRANGEMENT_FR[live.kind.value]} {ARRANGEMENT_STATUS_FR[live.status.value]}, "
            f"{paid} échéance(s) réglée(s) sur {len(live.lines)}"
        )
        if upcoming is not None:
            text += f" ; prochaine échéance le {format_date(upcoming.due_date)} ({format_euros(upcoming.amount)})"
        return [text + "."]
    broken = broken_arrangement_of(case, today)
    if broken is None:
        return []
    missed = ", ".join(f"{format_date(line.due_date)} ({format_euros(line.amount)})" for line in broken.missed_lines)
    return [
        f"Suivi : le dernier accord ({ARRANGEMENT_FR[broken.arrangement.kind.value]}) n'a pas été tenu"
        + (f" — échéance(s) non réglée(s) : {missed}, soit {format_euros(broken.missed_amount)}." if missed else "."),
        "  À reprendre avec le débiteur sans reproche : comprendre ce qui a changé avant de proposer un nouvel accord.",
    ]


def render_case(case: CaseView, *, profile: Profile | None = None, today: date | None = None) -> str:
    """The case for an agent; the profile is inferred from the case history when not given."""
    profile = profile or infer_profile(case, today=today)
    lines = [
        f"Dossier {case.reference} — {STATUS_FR[case.status.value]}",
        f"Débiteur : {case.debtor_first_name} {case.debtor_last_name} ({case.debtor_display_name})",
        f"Créancier : {case.creditor_name}",
        f"Nature : {case.nature}",
        f"Exigible depuis le {format_date(case.due_date)}",
        "",
        f"  Principal            {format_euros(case.principal):>14}",
        f"  Intérêts             {format_euros(case.interest):>14}",
        f"  Frais accessoires    {format_euros(case.accessories):>14}",
        f"  Total de la créance  {format_euros(case.total_claimed):>14}",
        f"  Déjà réglé           {format_euros(case.amount_paid):>14}",
        f"  Reste dû             {format_euros(case.amount_due):>14}",
        "",
        "Politique du créancier : "
        f"mensualité minimale {format_euros(case.policy.min_instalment)}, "
        f"durée maximale {case.policy.max_duration_months} mois, "
        f"remise maximale {case.policy.max_discount_pct.normalize():f} % pour un paiement immédiat, "
        f"report maximal {case.policy.max_deferral_days} jours.",
        "",
        *render_profile(profile),
    ]
    follow_up = render_follow_up(case, today)
    if follow_up:
        lines += ["", *follow_up]
    if case.payments:
        lines += ["", "Paiements :"]
        lines += [
            f"  - {format_date(p.paid_on)} : {format_euros(p.amount)} ({METHOD_FR[p.method.value]})"
            for p in case.payments
        ]
    for arrangement in case.arrangements:
        lines += [
            "",
            f"Accord : {ARRANGEMENT_FR[arrangement.kind.value]} {ARRANGEMENT_STATUS_FR[arrangement.status.value]}"
            f" ({format_euros(arrangement.total)}"
            + (f", remise {format_euros(arrangement.discount)}" if arrangement.discount else "")
            + ")",
        ]
        lines += [
            f"  {line.seq:>2}. {format_date(line.due_date)} : {format_euros(line.amount)}"
            + (" — payée" if line.paid else "")
            for line in arrangement.lines
        ]
    for dispute in case.disputes:
        lines += [
            "",
            f"Contestation {DISPUTE_FR[dispute.status.value]} ({format_date(dispute.opened_on)}) : {dispute.reason}",
        ]
    for complaint in case.complaints:
        lines += ["", f"Réclamation du {format_date(complaint.received_on)} : {complaint.text}"]
    return "\n".join(lines)
