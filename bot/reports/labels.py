"""French words and number formats shared by the text and HTML reports."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from bot.cases.payments import GRACE_DAYS
from bot.cases.store import CALLBACK_REASONS_FR
from bot.reports.source import Period
from bot.text import format_date
from bot.text.french import MONTHS, NARROW_NBSP

NOT_AVAILABLE = "non disponible"
NOT_MEASURABLE = "non mesurable"

EMOTIONS_FR = {
    "neutre": "neutre",
    "colere": "colère",
    "anxiete": "anxiété",
    "tristesse": "tristesse",
    "honte": "honte",
    "confusion": "confusion",
    "mefiance": "méfiance",
    "soulagement": "soulagement",
}
REASONS_FR = {
    **CALLBACK_REASONS_FR,
    "budget": "point sur le budget",
    "incomprehension": "incompréhension répétée",
}
KINDS_FR = {
    "paiement_total": "paiement total",
    "echeancier": "échéancier",
    "report": "report",
    "premier_pas": "premier pas",
}
STATUSES_FR = {"accepte": "en cours", "tenu": "tenu", "rompu": "rompu"}

DEFINITIONS_FR = (
    (
        "Conversations",
        "vérifications d'identité inscrites au journal des dossiers, regroupées par conversation quand le journal"
        " l'indique (sinon une vérification compte pour une conversation).",
    ),
    (
        "Taux d'identification",
        "conversations dont la vérification a réussi, rapportées à celles dont l'issue est connue.",
    ),
    (
        "Accords",
        "plans acceptés pendant la période (date d'acceptation, sinon date d'enregistrement) et toujours en vigueur"
        " ou terminés ; un plan renégocié remplace le précédent, compté à part. Montant : total des échéanciers,"
        " remises déduites.",
    ),
    (
        "Promesses tenues",
        f"échéances des accords tombant dans la période dont le délai de grâce de {GRACE_DAYS} jours est écoulé ;"
        " tenues si elles ont été réglées (suivi des paiements).",
    ),
    (
        "Taux de recouvrement",
        "paiements reçus pendant la période, rapportés à ce qui restait dû au début de la période sur les dossiers"
        " ouverts avant sa fin (créances moins paiements antérieurs ; un dossier confié pendant la période compte"
        " pour toute sa créance).",
    ),
    (
        "Délai jusqu'à l'accord",
        "jours entre l'ouverture du dossier et l'accord, valeur médiane.",
    ),
    (
        "Passages à un conseiller",
        "demandes de rappel créées pendant la période, rapportées au nombre de conversations, par motif.",
    ),
    ("Émotions rencontrées", "messages du journal portant une émotion détectée."),
    ("Satisfaction", "notes de 1 à 5 laissées en fin de conversation pendant la période."),
)


def plural(count: int, singular: str, plural_form: str) -> str:
    return f"{count_fr(count)} {singular if abs(count) <= 1 else plural_form}"


def count_fr(count: int) -> str:
    """1234567 → "1 234 567" (narrow no-break spaces)."""
    return f"{count:,}".replace(",", NARROW_NBSP)


def decimal_fr(value: float | Decimal, places: int = 1) -> str:
    """2.5 → "2,5"; rounded half up, thousands grouped."""
    quantized = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{quantized:,.{places}f}".replace(",", NARROW_NBSP).replace(".", ",")
    return text


def percent_fr(rate: float | None) -> str:
    """0.8182 → "81,8 %"; None → "non mesurable"."""
    if rate is None:
        return NOT_MEASURABLE
    return f"{decimal_fr(Decimal(str(rate)) * 100)}{NARROW_NBSP}%"


def days_fr(days: float | None) -> str:
    if days is None:
        return NOT_MEASURABLE
    whole = float(days).is_integer()
    number = count_fr(int(days)) if whole else decimal_fr(days)
    return f"{number} {'jour' if days < 2 else 'jours'}"


def period_fr(period: Period) -> str:
    if period.since is None:
        return f"jusqu'au {format_date(period.until)}"
    return f"du {format_date(period.since)} au {format_date(period.until)}"


def month_fr(day: date) -> str:
    """date(2026, 11, 3) → "novembre 2026"."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def reason_fr(reason: str) -> str:
    return REASONS_FR.get(reason, reason.replace("_", " "))


def emotion_fr(emotion: str) -> str:
    return EMOTIONS_FR.get(emotion, emotion.replace("_", " "))


def kind_fr(kind: str) -> str:
    return KINDS_FR.get(kind, kind.replace("_", " "))


def status_fr(status: str) -> str:
    return STATUSES_FR.get(status, status.replace("_", " "))
