"""The debtor's profile (typology) from the case history and the conversation's signals, with its evidence.

The profile orders the options and sets the tone; it never removes the debtor's choice. Rules, first match wins:

1. vulnérabilité — a vulnerability was signalled in the conversation;
2. contestation — an open dispute on the case, or the debtor disputes the debt or says it is paid;
3. difficulté durable — two broken arrangements, or one broken arrangement with financial difficulties stated,
   or financial difficulties with discouragement (sadness) or a claim overdue for more than six months;
4. difficulté ponctuelle — financial difficulties or a request for time, without the signs above;
5. oubli / désorganisation — no difficulty stated, and a broken arrangement, a kept one or a wish to settle
   (past payments alone are only evidence, not a profile);
6. otherwise no profile: listen and ask open questions first.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel

from bot.cases.models import ArrangementStatus, DisputeStatus
from bot.cases.schemas import CaseView
from bot.text import format_date, format_euros

LONG_OVERDUE_DAYS = 180


class ProfileKind(str, enum.Enum):
    DIFFICULTE_PONCTUELLE = "difficulté ponctuelle"
    DIFFICULTE_DURABLE = "difficulté durable"
    OUBLI = "oubli / désorganisation"
    CONTESTATION = "contestation"
    VULNERABILITE = "vulnérabilité"


class Slot(str, enum.Enum):
    """The candidate options the engine can build, before ranking."""

    FULL = "full"
    SHORT = "short"  # the fastest plan within the capacity
    LONG = "long"  # the lightest instalments the policy allows
    DEFERRAL = "deferral"
    FIRST_STEP = "first_step"
    ORIENTATION = "orientation"


DEFAULT_ORDER = (Slot.FULL, Slot.SHORT, Slot.DEFERRAL, Slot.LONG, Slot.FIRST_STEP, Slot.ORIENTATION)
ORDERS: dict[ProfileKind | None, tuple[Slot, ...]] = {
    None: DEFAULT_ORDER,
    ProfileKind.CONTESTATION: DEFAULT_ORDER,
    ProfileKind.DIFFICULTE_PONCTUELLE: (
        Slot.DEFERRAL,
        Slot.SHORT,
        Slot.LONG,
        Slot.FIRST_STEP,
        Slot.FULL,
        Slot.ORIENTATION,
    ),
    ProfileKind.DIFFICULTE_DURABLE: (
        Slot.LONG,
        Slot.FIRST_STEP,
        Slot.SHORT,
        Slot.ORIENTATION,
        Slot.DEFERRAL,
        Slot.FULL,
    ),
    ProfileKind.OUBLI: (Slot.FULL, Slot.SHORT, Slot.DEFERRAL, Slot.FIRST_STEP, Slot.LONG, Slot.ORIENTATION),
    ProfileKind.VULNERABILITE: (
        Slot.ORIENTATION,
        Slot.FIRST_STEP,
        Slot.LONG,
        Slot.DEFERRAL,
        Slot.SHORT,
        Slot.FULL,
    ),
}
TONES: dict[ProfileKind | None, str] = {
    None: "Écoute et questions ouvertes : comprendre la situation avant de proposer.",
    ProfileKind.VULNERABILITE: (
        "Douceur et patience : ne rien proposer d'emblée, offrir l'appel d'un conseiller et laisser la personne"
        " choisir son rythme."
    ),
    ProfileKind.CONTESTATION: (
        "Factuel et neutre : examiner d'abord la contestation (justificatifs, décompte) avant toute proposition."
    ),
    ProfileKind.DIFFICULTE_DURABLE: (
        "Rassurant et sans pression : privilégier la mensualité la plus légère et présenter l'accompagnement"
        " budgétaire (Points conseil budget, procédure de surendettement)."
    ),
    ProfileKind.DIFFICULTE_PONCTUELLE: (
        "Compréhensif : reconnaître la difficulté passagère et proposer de démarrer quand les revenus reviennent."
    ),
    ProfileKind.OUBLI: (
        "Simple et pratique : aller droit au but, proposer un règlement rapide et un rappel avant chaque échéance."
    ),
}
DIFFICULTY_INTENTS = frozenset({"difficultes_financieres"})
TIME_INTENTS = frozenset({"demander_delai"})
DISPUTE_INTENTS = frozenset({"contester_dette", "deja_paye"})
SETTLE_INTENTS = frozenset({"payer_totalite", "demander_moyens_paiement"})


class Profile(BaseModel):
    kind: ProfileKind | None
    evidence: list[str]
    tone: str

    @property
    def label(self) -> str:
        return self.kind.value if self.kind else "profil non déterminé"

    @property
    def order(self) -> tuple[Slot, ...]:
        return ORDERS[self.kind]

    @property
    def wants_reminders(self) -> bool:
        return self.kind is ProfileKind.OUBLI

    @property
    def wants_budget_pointers(self) -> bool:
        return self.kind is ProfileKind.DIFFICULTE_DURABLE


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def infer_profile(
    case: CaseView | None = None,
    *,
    intents: Iterable[str] = (),
    emotions: Iterable[str] = (),
    today: date | None = None,
) -> Profile:
    """The profile from the case history and the intents/emotions seen in the conversation."""
    seen_intents = set(intents)
    seen_emotions = set(emotions)
    today = today or date.today()
    history: list[str] = []
    broken = kept = 0
    open_disputes: list[str] = []
    overdue_days = 0
    if case is not None:
        broken = sum(1 for a in case.arrangements if a.status is ArrangementStatus.ROMPU)
        kept = sum(1 for a in case.arrangements if a.status is ArrangementStatus.TENU)
        if broken:
            history.append(f"{_plural(broken, 'accord')} non tenu{'s' if broken > 1 else ''} sur le dossier")
        if kept:
            history.append(f"{_plural(kept, 'accord')} tenu{'s' if kept > 1 else ''} sur le dossier")
        if case.payments:
            count = len(case.payments)
            history.append(
                f"{_plural(count, 'paiement')} déjà reçu{'s' if count > 1 else ''} ({format_euros(case.amount_paid)})"
            )
        open_disputes = [
            f"contestation ouverte le {format_date(d.opened_on)} : {d.reason}"
            for d in case.disputes
            if d.status is DisputeStatus.OUVERT
        ]
        overdue_days = (today - case.due_date).days

    difficulty = bool(seen_intents & DIFFICULTY_INTENTS)
    wants_time = bool(seen_intents & TIME_INTENTS)
    signals: list[str] = []
    if difficulty:
        signals.append("difficultés financières exprimées dans la conversation")
    if wants_time:
        signals.append("demande de délai dans la conversation")

    def profile(kind: ProfileKind | None, evidence: list[str]) -> Profile:
        return Profile(kind=kind, evidence=evidence, tone=TONES[kind])

    if "signaler_vulnerabilite" in seen_intents:
        return profile(ProfileKind.VULNERABILITE, ["situation de vulnérabilité signalée dans la conversation"])
    disputes_said = sorted(seen_intents & DISPUTE_INTENTS)
    if open_disputes or disputes_said:
        said = {
            "contester_dette": "la dette est contestée dans la conversation",
            "deja_paye": "le débiteur indique avoir déjà payé",
        }
        return profile(ProfileKind.CONTESTATION, open_disputes + [said[name] for name in disputes_said])

    if broken >= 2 or (broken and difficulty):
        return profile(ProfileKind.DIFFICULTE_DURABLE, history + signals)
    if difficulty and "tristesse" in seen_emotions:
        return profile(ProfileKind.DIFFICULTE_DURABLE, signals + ["découragement exprimé (tristesse)"])
    if difficulty and overdue_days > LONG_OVERDUE_DAYS:
        return profile(
            ProfileKind.DIFFICULTE_DURABLE, signals + [f"créance exigible depuis {overdue_days} jours"] + history
        )
    if difficulty or wants_time:
        return profile(ProfileKind.DIFFICULTE_PONCTUELLE, signals + history)

    settle = sorted(seen_intents & SETTLE_INTENTS)
    if broken or kept or settle:
        said = {
            "payer_totalite": "souhaite régler la totalité",
            "demander_moyens_paiement": "demande comment payer",
        }
        return profile(ProfileKind.OUBLI, history + ["aucune difficulté exprimée"] + [said[name] for name in settle])
    return profile(None, [])
