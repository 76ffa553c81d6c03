"""`amiable options REF [--capacity MONTANT] [--pay-day N] [--today AAAA-MM-JJ] [--json]`: a case's options."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from sqlalchemy.exc import OperationalError

from bot.cases import CaseStore
from bot.cases.models import ArrangementStatus
from bot.cases.schemas import CaseView, normalise_reference
from bot.negotiation import Capacity, Option, Profile, declared_capacity, infer_profile, propose_options
from bot.negotiation.capacity import unknown_capacity
from bot.text import format_date, format_euros

CAPACITY_SOURCES = {"declaree": "déclarée", "budget": "calculée sur le budget", "inconnue": "non renseignée"}


class UsageError(ValueError):
    """A bad argument, explained in French."""


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("options", help="options de remboursement proposées pour un dossier")
    parser.add_argument("reference", help="référence REC-AAAA-NNNNNN")
    parser.add_argument(
        "--capacity", metavar="MONTANT", help="montant que le débiteur peut consacrer chaque mois (80, 250,50, 250 €)"
    )
    parser.add_argument("--pay-day", metavar="N", help="jour du mois où le débiteur perçoit ses revenus (1 à 31)")
    parser.add_argument("--today", metavar="AAAA-MM-JJ", help="date de référence (défaut : aujourd'hui)")
    parser.add_argument("--json", action="store_true", help="imprime la liste des options en JSON")
    parser.set_defaults(handler=_options)


def parse_capacity(raw: str | None) -> Capacity:
    if raw is None:
        return unknown_capacity()
    try:
        return declared_capacity(raw)
    except ValueError as error:
        raise UsageError(f"Montant invalide « {raw} » : {error} (exemples : 80, 250,50, 250 €).") from None


def parse_pay_day(raw: str | None) -> int | None:
    if raw is None:
        return None
    text = raw.strip()
    if not text.isdigit() or not 1 <= int(text) <= 31:
        raise UsageError(f"Jour de paie invalide « {raw} » : indiquez un jour du mois, de 1 à 31.")
    return int(text)


def parse_today(raw: str | None) -> date:
    if raw is None:
        return date.today()
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise UsageError(f"Date invalide « {raw} » : format attendu AAAA-MM-JJ.") from None


def render_options(
    case: CaseView, options: list[Option], capacity: Capacity, pay_day: int | None, profile: Profile
) -> str:
    source = CAPACITY_SOURCES[capacity.source.value]
    capacity_text = f"{format_euros(capacity.monthly)} par mois ({source})" if capacity.monthly is not None else source
    lines = [
        f"Dossier {case.reference} — {case.creditor_name} — reste dû {format_euros(case.amount_due)}",
        f"Capacité : {capacity_text} · jour de paie : {pay_day if pay_day is not None else 'non renseigné'}",
        f"Profil : {profile.label}" + (f" ({'; '.join(profile.evidence)})" if profile.evidence else ""),
        f"Ton conseillé : {profile.tone}",
    ]
    if any(arrangement.status is ArrangementStatus.ACCEPTE for arrangement in case.arrangements):
        lines.append("Attention : un accord accepté est déjà en cours sur ce dossier.")
    for option in options:
        lines += [
            "",
            f"Option {option.rank} — {option.label} [{option.kind.value}]",
            f"  {option.summary}",
            f"  Pourquoi : {option.justification}",
        ]
        lines += [
            f"    {format_date(line.date):<20} {format_euros(line.amount):>12}"
            + ("  (premier versement)" if line.first_step else "")
            for line in option.schedule
        ]
        totals = f"  Total : {format_euros(option.total)}"
        if option.discount:
            totals += f" · remise : {format_euros(option.discount)}"
        if option.remaining:
            totals += f" · reste à organiser : {format_euros(option.remaining)}"
        lines.append(totals)
        if option.review_date:
            lines.append(f"  Point d'étape : {format_date(option.review_date)}")
        if option.reminder_dates:
            lines.append(f"  Rappels : {', '.join(format_date(day) for day in option.reminder_dates)}")
        lines += [f"  À savoir : {pointer}" for pointer in option.pointers]
    return "\n".join(lines)


def _options(arguments: argparse.Namespace) -> int:
    try:
        reference = normalise_reference(arguments.reference)
    except ValueError as error:
        print(f"Référence invalide : {str(error).removeprefix('référence invalide ')}", file=sys.stderr)
        return 2
    try:
        capacity = parse_capacity(arguments.capacity)
        pay_day = parse_pay_day(arguments.pay_day)
        today = parse_today(arguments.today)
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    store = CaseStore()
    try:
        case = store.case_view(reference)
    except OperationalError as error:
        print(
            f"Base des dossiers inaccessible ({store.url}) : {error.orig}. Lancez d'abord : amiable cases migrate",
            file=sys.stderr,
        )
        return 1
    if case is None:
        print(f"Aucun dossier {reference}.", file=sys.stderr)
        return 1
    profile = infer_profile(case, today=today)
    options = propose_options(case, case.policy, capacity, today, pay_day, None, profile=profile)
    if arguments.json:
        print(json.dumps([option.as_json() for option in options], ensure_ascii=False, indent=2))
        return 0
    if not options:
        print(f"Le dossier {reference} est soldé : aucune option à proposer.")
        return 0
    print(render_options(case, options, capacity, pay_day, profile))
    return 0
