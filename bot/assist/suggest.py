"""What an agent could say next, and a check of the agent's own draft (issue 7; the HTTP channel comes next).

`debtor_turn` reads one debtor message (its Rasa parse) and returns alerts and suggestions grounded in active
listening and in the case: a reformulation, an empathy line when the emotion calls for it, an open question for
what the plan still needs, and the next best action (the options computed from the case, framed with what a
discount saves and what similar debtors chose). `check_draft` classifies a draft and, when it is pressure or
breaks the compliance rules, proposes a compliant rewrite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.assist.acts import PRESSURE, ActClassifier
from bot.cases.schemas import CaseView
from bot.compliance.check import Category, check_text
from bot.listening import ListeningHistory, listen
from bot.negotiation import Option, propose_options
from bot.negotiation.options import OptionKind, describe_schedule
from bot.text.french import format_euros

LOW_CONFIDENCE = 0.5
ANGER_RISING_TURNS = 2
DISPUTE_INTENTS = frozenset({"contester_dette", "deja_paye"})
# When the debtor disputes or tells of a hardship, the negotiation's next question ("what happened for the payment
# to become difficult?") is beside the point: the open question serves what must be checked or understood first.
QUESTION_FOR_INTENT = {
    "deja_paye": "Comment et à quelle date ce paiement a-t-il été fait, pour que nous puissions le retrouver ?",
    "contester_dette": "Qu'est-ce qui, dans ce montant, ne correspond pas à ce que vous pensez devoir ?",
    "signaler_vulnerabilite": "Qu'est-ce qui vous aiderait le plus en ce moment ?",
}


@dataclass(frozen=True)
class Suggestion:
    kind: str  # an agent act of the contract: reformulation, empathie, question_ouverte, proposition, information
    text: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Alert:
    kind: str  # vulnerabilite, contestation, colere, incertitude
    text: str


@dataclass(frozen=True)
class DebtorTurn:
    intent: str | None
    confidence: float
    emotion: str
    entities: list[dict[str, Any]]
    alerts: list[Alert]
    suggestions: list[Suggestion]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _alerts(intent: str | None, confidence: float, emotions: Sequence[str]) -> list[Alert]:
    alerts = []
    if intent == "signaler_vulnerabilite":
        alerts.append(Alert("vulnerabilite", "Vulnérabilité signalée : ne rien proposer, proposer un rappel."))
    if intent in DISPUTE_INTENTS:
        alerts.append(Alert("contestation", "Contestation : suspendre le recouvrement et demander les justificatifs."))
    recent = list(emotions)[-ANGER_RISING_TURNS:]
    if len(recent) == ANGER_RISING_TURNS and all(emotion == "colere" for emotion in recent):
        alerts.append(Alert("colere", "Colère qui monte : reformuler et valider avant toute proposition."))
    if confidence < LOW_CONFIDENCE:
        alerts.append(Alert("incertitude", "Message ambigu : vérifier ce que le débiteur veut dire."))
    return alerts


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _framed(option: Option, chosen_by: Mapping[str, int]) -> str:
    """The option as the agent could say it: what it is, what a discount saves, what similar debtors chose."""
    if option.kind is OptionKind.ORIENTATION:
        text = f"{option.summary}."
    elif option.kind is OptionKind.PAIEMENT_INTEGRAL or len(option.schedule) == 1 and not option.remaining:
        text = f"Je peux vous proposer de régler {option.summary}"
        text += f" : vous économisez {format_euros(option.discount)}." if option.discount > 0 else "."
    else:
        what = {
            OptionKind.ECHEANCIER: "un échéancier",
            OptionKind.REPORT_PUIS_ECHEANCIER: "un report",
            OptionKind.PREMIER_PAS: "un premier pas",
        }.get(option.kind, _lower_first(option.label))
        text = f"Je peux vous proposer {what} : {_lower_first(option.summary)}."
    similar = chosen_by.get(option.kind.value, 0)
    if similar:
        text += (
            f" C'est la solution choisie par {similar} personne{'s' if similar > 1 else ''} dans une situation proche."
        )
    return text


def next_best_action(
    case: CaseView, capacity: Any, today: dt.date, pay_day: int | None, chosen_by: Mapping[str, int]
) -> list[Suggestion]:
    options = propose_options(case, case.policy, capacity, today, pay_day=pay_day)
    if not options:
        return [Suggestion("information", "Il ne reste rien à régler sur ce dossier.")]
    return [
        Suggestion(
            "proposition",
            _framed(option, chosen_by),
            {
                "kind": option.kind.value,
                "total": f"{option.total:.2f}",
                "discount": f"{option.discount:.2f}",
                "schedule": [
                    {"date": line.date.isoformat(), "amount": f"{line.amount:.2f}"} for line in option.schedule
                ],
                "plan": describe_schedule(option.schedule) if option.schedule else "",
            },
        )
        for option in options
    ]


def debtor_turn(
    parse: Mapping[str, Any],
    *,
    case: CaseView | None = None,
    emotions_before: Sequence[str] = (),
    history: ListeningHistory | None = None,
    capacity: Any = None,
    pay_day: int | None = None,
    today: dt.date | None = None,
    chosen_by: Mapping[str, int] | None = None,
) -> DebtorTurn:
    """Alerts and suggestions for one debtor message, from its Rasa parse and the case (None: not identified)."""
    intent_data = parse.get("intent") or {}
    intent, confidence = intent_data.get("name"), float(intent_data.get("confidence") or 0.0)
    reply = listen(str(parse.get("text") or ""), parse, history)
    alerts = _alerts(intent, confidence, [*emotions_before, reply.emotion])
    suggestions = [
        Suggestion(kind, text)
        for kind, text in (
            ("reformulation", reply.reformulation),
            ("empathie", reply.empathy),
            ("question_ouverte", QUESTION_FOR_INTENT.get(intent or "", reply.open_question)),
        )
        if text
    ]
    blocked = any(alert.kind in ("vulnerabilite", "contestation") for alert in alerts)
    if case is not None and not blocked:
        suggestions += next_best_action(case, capacity, today or dt.date.today(), pay_day, chosen_by or {})
    elif case is not None and intent == "signaler_vulnerabilite":
        suggestions.append(
            Suggestion("proposition", "Voulez-vous qu'un conseiller vous rappelle pour en parler, sans engagement ?")
        )
    return DebtorTurn(intent, confidence, reply.emotion, list(parse.get("entities") or []), alerts, suggestions)


REWRITES: dict[Category | None, str] = {
    Category.MENACE_JUDICIAIRE: (
        "Nous sommes dans une démarche amiable et aucune procédure n'est engagée. Qu'est-ce qui vous permettrait "
        "de trouver une solution avec nous ?"
    ),
    Category.MENACE_HUISSIER: (
        "À ce stade, il s'agit d'une démarche amiable : nous cherchons ensemble une solution. Comment envisagez-vous "
        "le règlement de ce solde ?"
    ),
    Category.MENACE_FICHAGE: (
        "Je préfère que nous trouvions ensemble une solution adaptée à votre budget. Qu'est-ce qui serait réaliste "
        "pour vous chaque mois ?"
    ),
    Category.FRAIS: "Le montant dû est celui du décompte, sans frais ajoutés. Voulez-vous que je vous le détaille ?",
    Category.HUMILIATION: (
        "Je comprends que la situation soit difficile. Qu'est-ce qui a rendu le paiement compliqué ces derniers mois ?"
    ),
    Category.LIBELLE_JURIDIQUE: (
        "Je vous écris pour faire le point sur votre dossier et chercher avec vous une solution. Comment allez-vous ?"
    ),
    None: (
        "Je comprends que ce ne soit pas simple. Qu'est-ce qui vous permettrait d'avancer sur ce dossier, à votre "
        "rythme ?"
    ),
}


@dataclass(frozen=True)
class DraftCheck:
    act: str
    confidence: float
    compliant: bool
    reasons: list[str]
    rewrite: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_draft(text: str, classifier: ActClassifier) -> DraftCheck:
    """The draft's act and whether it may be sent; a compliant rewrite when it may not."""
    prediction = classifier.predict(text)
    findings = check_text(text)
    compliant = prediction.act != PRESSURE and not findings
    rewrite = None
    if not compliant:
        category = findings[0].category if findings else None
        rewrite = REWRITES[category]
    reasons = [finding.message for finding in findings] or (
        ["ton de pression détecté par le classifieur des actes"] if prediction.act == PRESSURE else []
    )
    return DraftCheck(prediction.act, round(prediction.confidence, 3), compliant, reasons, rewrite)
