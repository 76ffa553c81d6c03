"""The agent console's case panel: a case as the agent reads it, in French, ready to show as text.

Amounts are formatted French strings (the console never computes money); the history merges payments and
the journal (most recent first, free text already masked by the journal); arrangements list their schedules.
Only a verified agent (token) ever gets this: the console and the assist API are token-protected.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.cases.models import JournalEntry
from bot.cases.render import ARRANGEMENT_FR, ARRANGEMENT_STATUS_FR, DISPUTE_FR, METHOD_FR, STATUS_FR
from bot.cases.schemas import CaseView
from bot.negotiation.profile import infer_profile
from bot.text import format_date, format_euros

HISTORY_LIMIT = 30
JOURNAL_FR = {
    "intent": "Message",
    "proposal": "Proposition",
    "agreement": "Accord",
    "dispute": "Contestation",
    "complaint": "Réclamation",
    "handover": "Transfert à un conseiller",
    "verification": "Vérification d'identité",
    "note": "Note",
}


def _journal_line(entry: JournalEntry) -> dict[str, str]:
    kind = entry.kind.value if hasattr(entry.kind, "value") else str(entry.kind)
    parts = [part for part in (entry.intent, entry.emotion) if part]
    text = entry.text or ""
    if parts:
        text = f"{text} ({', '.join(parts)})" if text else ", ".join(parts)
    return {"date": entry.at.date().isoformat() if entry.at else "", "label": JOURNAL_FR.get(kind, kind), "text": text}


def case_panel(case: CaseView, journal: Sequence[JournalEntry] = ()) -> dict[str, Any]:
    """What the console's case panel shows (all values are display strings)."""
    payments = [
        {
            "date": payment.paid_on.isoformat(),
            "label": "Paiement",
            "text": f"{format_euros(payment.amount)} par {METHOD_FR[payment.method.value]}",
        }
        for payment in case.payments
    ]
    history = sorted([*payments, *(_journal_line(entry) for entry in journal)], key=lambda line: line["date"])
    profile = infer_profile(case)
    return {
        "reference": case.reference,
        "debtor": case.debtor_display_name,
        "creditor": case.creditor_name,
        "nature": case.nature,
        "status": STATUS_FR[case.status.value],
        "amount_due": format_euros(case.amount_due),
        "due_date": format_date(case.due_date),
        "breakdown": [
            {"label": "Principal", "amount": format_euros(case.principal)},
            {"label": "Intérêts", "amount": format_euros(case.interest)},
            {"label": "Frais accessoires", "amount": format_euros(case.accessories)},
            {"label": "Déjà réglé", "amount": format_euros(case.amount_paid)},
        ],
        "profile": {"label": profile.label, "tone": profile.tone},
        "arrangements": [
            {
                "kind": ARRANGEMENT_FR[arrangement.kind.value],
                "status": ARRANGEMENT_STATUS_FR[arrangement.status.value],
                "total": format_euros(arrangement.total),
                "lines": [
                    {
                        "date": format_date(line.due_date),
                        "amount": format_euros(line.amount),
                        "paid": line.paid,
                    }
                    for line in arrangement.lines
                ],
            }
            for arrangement in case.arrangements
        ],
        "disputes": [
            {"date": format_date(d.opened_on), "reason": d.reason, "status": DISPUTE_FR[d.status.value]}
            for d in case.disputes
        ],
        "history": list(reversed(history))[:HISTORY_LIMIT],
    }
