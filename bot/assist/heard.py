"""What the debtor has said so far that the options depend on: a monthly amount they can bear, and their pay day.

The agent assist computes the options on every debtor message; without this, an amount said two messages earlier
(« je peux mettre 40 euros par mois ») would not shape them. Read from the parses of the conversation's debtor
messages (the Rasa tracker), the latest statement winning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.negotiation.capacity import declared_capacity
from bot.negotiation.dialogue import UNKNOWN_PAY_DAY, amounts_in, pay_day_answer
from bot.negotiation.models import Capacity

OFFER_INTENTS = frozenset({"proposer_paiement", "demander_echeancier"})
PAY_DAY_INTENTS = frozenset({"informer_budget", "proposer_paiement"})
_MONTHLY = re.compile(r"\b(par|chaque|tous les|/)\s*mois\b|\bmensuel|\bmensualit", re.I)


@dataclass(frozen=True)
class Heard:
    capacity: Capacity | None = None  # None: no monthly amount said
    pay_day: int | None = None


def heard(parses: Iterable[Mapping[str, Any]]) -> Heard:
    """The bearable monthly amount and the pay day from the debtor's messages, oldest first."""
    capacity: Capacity | None = None
    pay_day: int | None = None
    for parse in parses:
        intent = (parse.get("intent") or {}).get("name")
        text = str(parse.get("text") or "")
        amounts = amounts_in(parse)
        if intent in OFFER_INTENTS and amounts and _MONTHLY.search(text):
            capacity = declared_capacity(amounts[-1])
        if intent in PAY_DAY_INTENTS:  # not asked here: only a day said with its income ("ma paie arrive le 5")
            day = pay_day_answer(parse, None)
            if day is not None and day != UNKNOWN_PAY_DAY:
                pay_day = int(day)
    return Heard(capacity, pay_day)
