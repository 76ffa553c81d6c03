"""The negotiation conversation, without Rasa: what a debtor's answer tells the budget form, and what the bot
says when it sums up, proposes, recaps a choice and answers a counter-offer.

The actions in `actions/negotiation.py` only read the tracker, call these functions and turn the result into
messages and slot events, so the whole conversation logic is testable with plain dictionaries.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.cases.models import CaseStatus
from bot.cases.schemas import CaseView
from bot.listening import SituationFacts, summarize
from bot.negotiation.capacity import budget_capacity, declared_capacity, unknown_capacity
from bot.negotiation.counter_offer import evaluate_counter_offer
from bot.negotiation.models import Capacity, Option
from bot.negotiation.options import propose_options
from bot.negotiation.profile import infer_profile
from bot.negotiation.schedule import months_later
from bot.nlu.entities.numbers import words_to_int
from bot.text.french import format_date, format_euros

# Slot names shared by the domain, the form and the actions.
MONTANT_SUPPORTABLE = "montant_supportable"
REVENUS = "revenus"
CHARGES = "charges"
JOUR_PAIE = "jour_paie"
RAISON = "raison_difficulte"
OPTIONS = "options_proposees"
OPTION_CHOISIE = "option_choisie"
PAIEMENT_INTEGRAL = "paiement_integral_souhaite"

CHOOSE = "Qu'est-ce qui vous conviendrait le mieux parmi ces solutions ?"
ON_HOLD = (
    "Une contestation est en cours d'examen sur votre dossier : le recouvrement est suspendu et aucun accord ne "
    "peut être enregistré d'ici là. Nous reviendrons vers vous dès que la vérification sera faite."
)
STALE = "Le montant restant dû vient d'évoluer sur votre dossier : voici des propositions mises à jour."
UNKNOWN_PAY_DAY = 0.0
NOTHING_MAX_WORDS = 10  # "je ne peux rien mettre en ce moment" answers the question; a long story may not
# Intents that interrupt the budget form (in-form rules answer them); never read as a budget answer.
INTERRUPTIONS = frozenset(
    {
        "contester_dette",
        "deja_paye",
        "signaler_vulnerabilite",
        "demander_conseiller",
        "se_plaindre",
        "refus_de_payer",
        "au_revoir",
        "demander_consequences",
        "demander_justificatif",
        "demander_moyens_paiement",
        "demander_solde",
        "payer_totalite",
    }
)  # the debtor does not know, or it varies: schedules then follow the calendar month
_INCOME_WORDS = re.compile(
    r"gagn|touch|salaire|revenu|rsa|pension|retraite|allocation|ch[oô]mage|indemnit|smic|perçoi|percoi|aah|apl", re.I
)
_CHARGE_WORDS = re.compile(
    r"loyer|charges?\b|crédit|credit|factur|assurance|mutuelle|pension alimentaire|dépense", re.I
)
_NOTHING = re.compile(r"\b(rien|z[ée]ro|0\s*(€|euros?)|pas un (sou|centime|euro))\b", re.I)
_DONT_KNOW = re.compile(
    r"(je\s+(ne\s+)?sais\s+pas|jsp|j'?sais pas|[çc]a d[ée]pend|variable|ça varie|ca varie|pas de date|aucune id[ée]e)",
    re.I,
)
_NOT_KNOWING = re.compile(r"\b(sais|savais|sait)\s+rien\b|n'en sais rien", re.IGNORECASE)
_PAY_MENTION = re.compile(  # "ma paie arrive le 10", "je suis payée le 5", "la CAF me verse le 6"
    r"\b(paie|paye|salaire|pension|retraite|rsa|ch[oô]mage|allocs?|allocations?|caf|revenus?|virement"
    r"|(?:suis|sommes|est|on me|on nous)\s+pay[ée]e?s?)\b.{0,25}?"
    r"\b(le|au|vers le)\s+(1er|\d{1,2})\b(?!\s*(€|euros?))",
    re.IGNORECASE,
)
_NOT_A_DAY_AFTER = r"(?!\s*(€|euros?|balles|fois|mois|ans?|%))"  # "le 5 €", "5 fois", "5 mois" are not days
_DAY = re.compile(r"\b(?:le\s+)?(1er|premier|\d{1,2})\b" + _NOT_A_DAY_AFTER, re.I)
_WORD_DAYS = {"premier": 1, "1er": 1}
# "le cinq", "le vingt-cinq", "le trente et un" (a day in words; text2num reads the words, 1–31 are kept)
_WORD_DAY = re.compile(r"\ble\s+((?:[a-zé]+)(?:(?:-| et |-et-)[a-zé]+)*)\b" + _NOT_A_DAY_AFTER, re.I)
_MONTH_START = re.compile(r"d[ée]but (du|de) mois", re.I)
_MONTH_END = re.compile(r"fin (du|de) mois", re.I)


def _entities(parse: Mapping[str, Any], name: str) -> list[str]:
    return [str(e.get("value")) for e in parse.get("entities") or [] if e.get("entity") == name and e.get("value")]


def _money(value: object) -> Decimal | None:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount >= 0 else None


def amounts_in(parse: Mapping[str, Any]) -> list[Decimal]:
    return [amount for amount in (_money(value) for value in _entities(parse, "montant")) if amount is not None]


def budget_answer(parse: Mapping[str, Any], requested: str | None, known: Mapping[str, Any]) -> dict[str, Any]:
    """The budget slots a debtor's message fills while the form asks `requested`.

    Income and charges given together give the bearable amount (income − charges − living-cost floor); an
    amount alone answers the question asked; "rien" answers a capacity of zero.
    """
    text = str(parse.get("text") or "")
    intent = (parse.get("intent") or {}).get("name")
    if intent in INTERRUPTIONS:  # "j'ai déjà payé 120 €" is no capacity: the rules handle the interruption
        return {}
    amounts = amounts_in(parse)
    filled: dict[str, Any] = {}
    if len(amounts) >= 2 and intent in ("informer_budget", "difficultes_financieres"):
        income, charges = max(amounts), sum(amounts) - max(amounts)
        filled[REVENUS], filled[CHARGES] = str(income), str(charges)
    elif len(amounts) == 1 and intent != "refuser_proposition":  # "200 par mois je ne peux pas" is no capacity
        amount = amounts[0]
        if requested == CHARGES:
            filled[CHARGES] = str(amount)
        elif intent != "proposer_paiement" and _INCOME_WORDS.search(text) and known.get(REVENUS) is None:
            filled[REVENUS] = str(amount)
        elif intent == "informer_budget" and _CHARGE_WORDS.search(text) and known.get(CHARGES) is None:
            filled[CHARGES] = str(amount)  # "800 euros de loyer" is a charge, not what could be paid
        elif requested in (MONTANT_SUPPORTABLE, None) or intent == "proposer_paiement":
            filled[MONTANT_SUPPORTABLE] = str(amount)
    elif requested == MONTANT_SUPPORTABLE and _nothing_possible(text):
        filled[MONTANT_SUPPORTABLE] = "0.00"
    income = _money(filled.get(REVENUS, known.get(REVENUS)))
    charges = _money(filled.get(CHARGES, known.get(CHARGES)))
    budget_given_now = REVENUS in filled or CHARGES in filled
    still_unknown = MONTANT_SUPPORTABLE not in filled and known.get(MONTANT_SUPPORTABLE) is None
    if budget_given_now and still_unknown and income is not None and charges is not None:
        monthly = budget_capacity(income, charges).monthly
        filled[MONTANT_SUPPORTABLE] = str(monthly if monthly is not None else Decimal("0.00"))
    return filled


def _nothing_possible(text: str) -> bool:
    """ "rien du tout pour l'instant", "zéro" — not "je n'en sais rien", nor a long story that says "rien"."""
    return bool(_NOTHING.search(text)) and not _NOT_KNOWING.search(text) and len(text.split()) <= NOTHING_MAX_WORDS


def pay_day_answer(parse: Mapping[str, Any], requested: str | None) -> float | None:
    """The day of the month the income arrives, from "le 5", "le 28 du mois", "début de mois", a date entity;
    UNKNOWN_PAY_DAY when the debtor does not know or it varies. None: the message does not answer."""
    text = str(parse.get("text") or "")
    if (parse.get("intent") or {}).get("name") in INTERRUPTIONS:
        return None
    if requested != JOUR_PAIE and not _PAY_MENTION.search(text):  # "…, ma paie arrive le 10" answers it too
        return None
    for value in _entities(parse, "date"):
        try:
            return float(dt.date.fromisoformat(value).day)
        except ValueError:
            continue
    if _MONTH_START.search(text):
        return 1.0
    if _MONTH_END.search(text):
        return 30.0
    for words in _WORD_DAY.finditer(text):
        day_in_words = words_to_int(words.group(1))
        if day_in_words is not None and 1 <= day_in_words <= 31:
            return float(day_in_words)
    match = _DAY.search(text)
    if match and not amounts_in(parse):
        raw = match.group(1).lower()
        day = _WORD_DAYS.get(raw) or int(raw)
        if 1 <= day <= 31:
            return float(day)
    if _DONT_KNOW.search(text) or (parse.get("intent") or {}).get("name") == "nier":
        return UNKNOWN_PAY_DAY
    return None


def required_budget_slots(known: Mapping[str, Any]) -> list[str]:
    """The budget form's slots, in asking order: a bearable amount (or income and charges), then the pay day.

    Every slot already filled stays in the list: rasa-sdk only keeps the values of listed slots.
    """
    given = [slot for slot in (REVENUS, CHARGES) if known.get(slot) is not None]
    if known.get(MONTANT_SUPPORTABLE) is not None:
        return [*given, MONTANT_SUPPORTABLE, JOUR_PAIE]
    if given:  # income or charges given: ask the other one, the bearable amount follows from them
        return [REVENUS, CHARGES, MONTANT_SUPPORTABLE, JOUR_PAIE]
    return [MONTANT_SUPPORTABLE, JOUR_PAIE]


def acknowledgement(filled: Mapping[str, Any]) -> str | None:
    """A short reflection of the figure the debtor just gave (said before the next question)."""
    computed = REVENUS in filled or CHARGES in filled
    if filled.get(MONTANT_SUPPORTABLE) is not None and not computed:
        amount = _money(filled[MONTANT_SUPPORTABLE])
        if amount is not None and amount > 0:
            return f"Vous pourriez donc consacrer {format_euros(amount)} par mois à ce remboursement."
        return "Vous me dites que rien n'est possible pour le moment : nous allons en tenir compte."
    if filled.get(MONTANT_SUPPORTABLE) is not None:  # computed from income and charges
        left = _money(filled[MONTANT_SUPPORTABLE])
        if left:
            return (
                f"Une fois vos charges réglées et le minimum pour vivre mis de côté, il vous resterait environ "
                f"{format_euros(left)} par mois."
            )
        return "Vos charges absorbent déjà l'essentiel de vos revenus : nous allons en tenir compte."
    if filled.get(REVENUS) is not None:
        return f"Vos revenus sont donc de {format_euros(_money(filled[REVENUS]))} par mois."
    if filled.get(CHARGES) is not None:
        return f"Vos charges s'élèvent donc à {format_euros(_money(filled[CHARGES]))} par mois."
    return None


def pay_day_acknowledgement(day: float) -> str:
    if day == UNKNOWN_PAY_DAY:
        return "Entendu : les dates suivront alors le calendrier du mois."
    label = "1er" if int(day) == 1 else str(int(day))
    return f"Vos revenus arrivent donc le {label} du mois : les dates suivront ce rythme."


def capacity_of(slots: Mapping[str, Any]) -> Capacity:
    monthly = _money(slots.get(MONTANT_SUPPORTABLE))
    in_full = bool(slots.get(PAIEMENT_INTEGRAL))
    if monthly is not None:
        return declared_capacity(monthly, can_pay_in_full=in_full)
    return unknown_capacity(can_pay_in_full=in_full)


def pay_day_of(slots: Mapping[str, Any]) -> int | None:
    day = slots.get(JOUR_PAIE)
    return int(day) if day not in (None, UNKNOWN_PAY_DAY) else None


def facts_of(slots: Mapping[str, Any]) -> SituationFacts:
    """What the debtor said; a bearable amount computed from income and charges is not theirs to repeat."""
    computed = slots.get(REVENUS) is not None and slots.get(CHARGES) is not None
    bearable = None if computed else _money(slots.get(MONTANT_SUPPORTABLE))
    left_after_floor = _money(slots.get(MONTANT_SUPPORTABLE)) if computed else None
    return SituationFacts(
        reason=slots.get(RAISON) or None,
        monthly_income=_money(slots.get(REVENUS)),
        monthly_charges=_money(slots.get(CHARGES)),
        pay_day=pay_day_of(slots),
        bearable_amount=bearable if bearable else None,
        nothing_possible_now=bearable == 0,
        left_after_living_floor=left_after_floor,
    )


def stored(option: Option) -> dict[str, Any]:
    """An option as kept in a slot (JSON types only); `Option.parse_obj` reads it back."""
    return json.loads(option.json())


@dataclass
class Proposal:
    messages: list[str]
    options: list[dict[str, Any]] = field(default_factory=list)


def _lower_first(text: str) -> str:
    """ "Un conseiller vous rappelle" → "un conseiller vous rappelle" (after a colon); acronyms are kept."""
    return text[:1].lower() + text[1:] if text[:2].istitle() else text


def _numbered(options: Sequence[Option]) -> list[str]:
    lines = [f"{option.rank}. {option.label} : {_lower_first(option.summary)}." for option in options]
    pointers = list(dict.fromkeys(pointer for option in options for pointer in option.pointers))
    return lines + pointers


def expected_income_date(parses: Sequence[Mapping[str, Any]], today: dt.date) -> dt.date | None:
    """When the debtor expects money, from their latest request for time: "attendez la fin du mois" (a date),
    "il me faut deux mois" (a duration in months). None when they gave neither."""
    for parse in reversed(parses):
        if (parse.get("intent") or {}).get("name") != "demander_delai":
            continue
        for value in _entities(parse, "date"):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                continue
            if day > today:
                return day
        for value in _entities(parse, "duree"):
            if value.isdigit() and 0 < int(value) <= 24:
                return months_later(today, int(value))
        return None
    return None


def propose(
    case: CaseView,
    slots: Mapping[str, Any],
    today: dt.date,
    intents: Sequence[str] = (),
    emotions: Sequence[str] = (),
    expects_income_on: dt.date | None = None,
) -> Proposal:
    """Sum-up of the situation, then two or three numbered options, then an open invitation to choose."""
    if case.amount_due <= 0:
        return Proposal(["Bonne nouvelle : il ne reste rien à régler sur votre dossier."])
    if case.status is CaseStatus.LITIGE:
        return Proposal([ON_HOLD])
    profile = infer_profile(case, intents=intents, emotions=emotions, today=today)
    options = propose_options(
        case,
        case.policy,
        capacity_of(slots),
        today,
        pay_day=pay_day_of(slots),
        expects_income_on=expects_income_on,
        profile=profile,
    )
    messages: list[str] = []
    summary = summarize(facts_of(slots), confirm=False)
    if summary:
        messages.append(summary)
    due = format_euros(case.amount_due)
    intro = f"Pour régler les {due} restant dus à {case.creditor_name}, voici ce que je peux vous proposer :"
    if len(options) > 1:
        intro = intro.removesuffix(" :") + " (vous pourrez me répondre par un numéro) :"
    messages.append("\n".join([intro, *_numbered(options)]))
    messages.append(CHOOSE if len(options) > 1 else "Qu'en pensez-vous ?")
    return Proposal(messages, [stored(option) for option in options])


def chosen(options: Sequence[Mapping[str, Any]], parse: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The option the debtor designates: by number ("la deuxième"), else by its kind's words."""
    for value in _entities(parse, "option"):
        try:
            index = int(float(value))
        except ValueError:
            continue
        return options[index - 1] if 1 <= index <= len(options) else None
    text = str(parse.get("text") or "").lower()
    by_words = {
        "paiement_integral": ("une fois", "totalit", "remise", "tout d'un coup", "en une"),
        "premier_pas": ("premier pas", "premier versement"),
        "report_puis_echeancier": ("report", "décal", "decal", "plus tard"),
        "echeancier": ("échéancier", "echeancier", "mensualit", "plusieurs fois"),
    }
    for option in options:
        if any(word in text for word in by_words.get(str(option.get("kind")), ())):
            return option
    return options[0] if len(options) == 1 else None


def schedule_text(option: Mapping[str, Any]) -> str:
    lines = option.get("schedule") or []
    if not lines:
        return ""
    if len(lines) == 1:
        line = lines[0]
        return f"{format_euros(Decimal(str(line['amount'])))} le {format_date(dt.date.fromisoformat(line['date']))}"
    first, last = lines[0], lines[-1]
    return (
        f"{len(lines)} versements, du {format_date(dt.date.fromisoformat(first['date']))} "
        f"au {format_date(dt.date.fromisoformat(last['date']))}, "
        f"pour un total de {format_euros(Decimal(str(option['total'])))}"
    )


def recap(option: Mapping[str, Any]) -> str:
    """The confirmation recap of a chosen option, ending with the only closed question: a confirmation."""
    details = schedule_text(option)
    discount = Decimal(str(option.get("discount") or "0"))
    parts = [f"Vous choisissez : {option['label']}."]
    if details:
        parts.append(f"Concrètement : {details}.")
    if discount > 0:
        parts.append(f"La remise de {format_euros(discount)} est incluse.")
    parts.append("Confirmez-vous cet accord ?")
    return " ".join(parts)


def counter_offer(case: CaseView, slots: Mapping[str, Any], parse: Mapping[str, Any], today: dt.date) -> Proposal:
    """Answer to the debtor's own figures: accepted (recap) or the closest acceptable option and why."""
    amounts = amounts_in(parse)
    months = [int(v) for v in _entities(parse, "duree") if v.isdigit()]
    dates = []
    for value in _entities(parse, "date"):
        try:
            dates.append(dt.date.fromisoformat(value))
        except ValueError:
            continue
    if case.status is CaseStatus.LITIGE:
        return Proposal([ON_HOLD])
    if not amounts and not months and not dates:
        return Proposal(["Qu'est-ce qui serait réaliste pour vous : quel montant, et à quel rythme ?"])
    outcome = evaluate_counter_offer(
        case,
        case.policy,
        today,
        pay_day_of(slots),
        monthly_amount=amounts[0] if amounts else None,
        months=months[0] if months else None,
        on_date=dates[0] if dates else None,
        capacity=capacity_of(slots),
    )
    if outcome.option is None:
        return Proposal([outcome.why])
    option = stored(outcome.option.copy(update={"rank": 1}))
    if outcome.accepted:
        return Proposal(["Votre proposition est tout à fait possible.", recap(option)], [option])
    return Proposal([outcome.why, recap(option)], [option])


def payment_ways(case: CaseView) -> str:
    """How to pay, after an agreement, with the reference to quote."""
    return (
        f"Pour vos versements, vous pouvez payer par carte bancaire sur votre espace en ligne, par virement en "
        f"indiquant la référence {case.reference}, ou mettre en place un prélèvement à chaque échéance."
    )


def agreement_recap(case: CaseView, option: Mapping[str, Any]) -> str:
    """The written recap of an agreement, every payment on its own line (kept in the conversation)."""
    lines = [f"Récapitulatif de votre accord — dossier {case.reference}, créancier {case.creditor_name} :"]
    for line in option.get("schedule") or []:
        day = format_date(dt.date.fromisoformat(str(line["date"])))
        lines.append(f"• {day} : {format_euros(Decimal(str(line['amount'])))}")
    total = f"Total : {format_euros(Decimal(str(option['total'])))}"
    discount = Decimal(str(option.get("discount") or "0"))
    if discount > 0:
        total += f" (remise de {format_euros(discount)} incluse)"
    lines.append(total + ".")
    if option.get("review_date"):
        review = dt.date.fromisoformat(str(option["review_date"]))
        lines.append(f"Nous ferons le point ensemble le {format_date(review)}.")
    lines.append("Vous pouvez garder ce message : il vaut récapitulatif.")
    return "\n".join(lines)
