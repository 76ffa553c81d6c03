"""Active listening: reformulations from the debtor's own words, empathy, open questions and summaries.

Entry point: `listen(text, parse, history) -> ListeningReply`. The parts can be used on their own:
`reformulate`, `switch_person`, `empathize`, `open_question`, `summarize`.
"""

from bot.listening.empathy import empathize, feels_misunderstood
from bot.listening.listener import ListeningHistory, ListeningReply, listen
from bot.listening.person import switch_person
from bot.listening.questions import Need, OpenQuestion, confirmation_question, is_open, needs_answered, open_question
from bot.listening.reformulation import COMPLEXE, LEAD_INS, SIMPLE, Reformulation, reformulate
from bot.listening.summary import SituationFacts, summarize

__all__ = [
    "COMPLEXE",
    "LEAD_INS",
    "SIMPLE",
    "ListeningHistory",
    "ListeningReply",
    "Need",
    "OpenQuestion",
    "Reformulation",
    "SituationFacts",
    "confirmation_question",
    "empathize",
    "feels_misunderstood",
    "is_open",
    "listen",
    "needs_answered",
    "open_question",
    "reformulate",
    "summarize",
    "switch_person",
]
