"""`listen`: one entry point for a debtor message — reformulation, empathy and the next open question."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bot.listening.empathy import empathize
from bot.listening.normalize import normalize
from bot.listening.questions import Need, needs_answered, open_question
from bot.listening.reformulation import reformulate

NEUTRE = "neutre"


@dataclass(frozen=True)
class ListeningHistory:
    """What the bot already said (sentences, lead-ins) and already knows in this conversation."""

    used: frozenset[str] = frozenset()
    known: frozenset[Need] = frozenset()

    def after(self, reply: ListeningReply) -> ListeningHistory:
        """The history once `reply` was said: its sentences are used, what it learnt is known."""
        said = {
            s for s in (reply.reformulation, reply.empathy, reply.open_question, reply.lead_in, reply.addition) if s
        }
        return replace(self, used=self.used | said, known=self.known | reply.known)


@dataclass(frozen=True)
class ListeningReply:
    text: str
    reformulation: str | None
    kind: str | None  # "simple" | "complexe" (None: nothing to reflect, e.g. "ok")
    empathy: str | None
    open_question: str | None
    emotion: str
    content: str | None = None  # the debtor's content in the second person, e.g. a reason for the summary
    need: Need | None = None  # what the open question asks about
    lead_in: str | None = None
    addition: str | None = None
    known: frozenset[Need] = field(default_factory=frozenset)

    @property
    def message(self) -> str:
        """What the bot says, in order: reformulation, empathy, then the open question."""
        return " ".join(s for s in (self.reformulation, self.empathy, self.open_question) if s)

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "reformulation": self.reformulation,
            "kind": self.kind,
            "empathy": self.empathy,
            "open_question": self.open_question,
            "emotion": self.emotion,
        }


def _emotion(parse: Mapping[str, Any] | None) -> str:
    value = (parse or {}).get("emotion")
    name = value.get("name") if isinstance(value, Mapping) else value
    return name if isinstance(name, str) and name else NEUTRE


def listen(
    text: str, parse: Mapping[str, Any] | None = None, history: ListeningHistory | None = None
) -> ListeningReply:
    """Reflects a debtor message and picks the next open question.

    `parse` is Rasa's parse result ({"intent": {...}, "entities": [...], "emotion": {"name": ...}}); it is
    optional so that the listening works without a model. `history` avoids saying a sentence twice and
    asking what is already known; use `history.after(reply)` for the next turn.
    """
    history = history or ListeningHistory()
    emotion = _emotion(parse)
    reflection = reformulate(text, parse, history.used)
    empathy = empathize(emotion, history.used, normalize(text))
    known = frozenset(needs_answered(text, parse))
    question = open_question(history.known | known, history.used, key=text)
    return ListeningReply(
        text=text,
        reformulation=reflection.text if reflection else None,
        kind=reflection.kind if reflection else None,
        empathy=empathy,
        open_question=question.text if question else None,
        emotion=emotion,
        content=reflection.content if reflection else None,
        need=question.need if question else None,
        lead_in=reflection.lead_in if reflection else None,
        addition=reflection.addition if reflection else None,
        known=known,
    )
