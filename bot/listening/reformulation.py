"""Reformulation (reflet) of a debtor's message, built from their own words switched to the second person.

- reflet simple: "J'ai perdu mon boulot en septembre" → "Si je comprends bien, vous avez perdu votre emploi
  en septembre."
- reflet complexe: the same, plus the feeling or meaning read from the detected emotion and the content
  ("… et vous craignez de ne pas pouvoir tenir vos engagements.").

Questions are reflected as questions the debtor asks themselves ("vous vous demandez si…"), what the
debtor says of us as their view ("vous avez le sentiment que nous vous sollicitons trop souvent"), never
as our own admission.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from bot.listening.condense import CONNECTORS, FILLER, Clause, clauses, drop_meta, select
from bot.listening.empathy import feels_misunderstood
from bot.listening.frames import SUBORDINATORS, frame
from bot.listening.meaning import meaning
from bot.listening.nlp import french
from bot.listening.normalize import normalize
from bot.listening.person import Switched, switch_doc, tidy

SIMPLE, COMPLEXE = "simple", "complexe"
NEUTRE = "neutre"

# The bot speaking: these lead-ins are the only place a reformulation says "je" or "me".
LEAD_INS_COMMA = (
    "Si je comprends bien, ",
    "Autrement dit, ",
    "Si je vous suis bien, ",
    "D'après ce que vous me dites, ",
    "Si je vous ai bien compris, ",
)
LEAD_INS_QUE = (
    "Vous me dites que ",
    "Vous m'expliquez que ",
    "Vous m'indiquez que ",
)
LEAD_INS = LEAD_INS_COMMA + LEAD_INS_QUE


@dataclass(frozen=True)
class Reformulation:
    text: str  # the whole sentence the bot says
    kind: str  # "simple" | "complexe"
    lead_in: str
    content: str  # the debtor's content in the second person (no lead-in, no addition)
    addition: str | None = None  # the feeling or meaning of a reflet complexe


def _first_index(doc: Doc, clause: Clause, first: bool) -> int:
    """Skips fillers ("bon", "voilà") and, for the first clause, a leading connector ("mais", "car")."""
    index = clause.start
    while index < clause.end:
        token = doc[index]
        lowered = token.lower_
        lone_adverb = lowered in ("depuis", "après", "ensuite", "maintenant", "aujourd'hui", "franchement") and (
            index + 1 < clause.end and doc[index + 1].is_punct
        )
        if token.is_punct or lone_adverb or lowered in FILLER - {"ça", "tout", "quoi", "bien", "très"}:
            index += 1
            continue
        if first:
            two = f"{lowered} {doc[index + 1].lower_}" if index + 1 < clause.end else lowered
            if two in ("parce que", "parce qu'", "du coup", "en plus", "de plus", "en fait", "par contre", "sauf que"):
                index += 2
                continue
            if lowered in CONNECTORS:
                index += 1
                continue
        break
    return index


def _leading_connector(text: str) -> tuple[str, str]:
    """ "mais vous n'y arrivez pas" → ("mais", "vous n'y arrivez pas")."""
    lowered = text.lower()
    for connector in sorted(CONNECTORS, key=len, reverse=True):
        if lowered.startswith(connector + " ") or (connector.endswith("'") and lowered.startswith(connector)):
            cut = len(connector) + (0 if connector.endswith("'") else 1)
            return text[:cut].strip(), text[cut:]
    return "", text


def _render_clause(doc: Doc, switched: Switched, clause: Clause, first: bool) -> tuple[str, bool]:
    start = _first_index(doc, clause, first)
    if start >= clause.end:
        return "", False
    shown = Clause(start, clause.end, clause.score, clause.words, clause.sentence, clause.question)
    text = switched.render(start, clause.end).rstrip(" .!?;,:…")
    if not text:
        return "", False
    if not (doc[start].pos_ == "PROPN" or re.fullmatch(r"[A-ZÀ-Ý]{2,}", doc[start].text)):
        text = text[:1].lower() + text[1:]
    connector, rest = _leading_connector(text)
    # "(je tiens à vous dire) que …, mais que …": the "que" of a dropped frame goes with it.
    rest = re.sub(r"^qu(?:e\s+|')", "", rest) if re.match(r"^qu(e\s|')", rest) and not clause.question else rest
    framed_text, framed = frame(doc, switched, shown, rest)
    return (f"{connector} {framed_text}" if connector else framed_text), framed


def _join(pieces: list[tuple[str, Clause]], doc: Doc) -> str:
    content, previous = pieces[0]
    for position, (piece, clause) in enumerate(pieces[1:], start=2):
        lowered = piece.lower()
        adjacent = all(t.is_punct for t in doc[previous.end : clause.start])
        if lowered.startswith("et "):
            content += " " + piece
        elif lowered.startswith(CONNECTORS):
            content += ", " + piece
        elif adjacent and content.lower().startswith(SUBORDINATORS):
            content += ", " + piece  # "quand vous habitiez à Lyon, vous payiez sans problème"
        else:
            content += (" et " if position == len(pieces) else ", ") + piece
        previous = clause
    return content


def _choose(options: Collection[str], key: str, used: Collection[str]) -> str:
    ordered = list(options)
    offset = zlib.crc32(key.encode("utf-8")) % len(ordered)
    rotated = ordered[offset:] + ordered[:offset]
    fresh = [option for option in rotated if option.strip() not in {u.strip() for u in used}]
    return (fresh or rotated)[0]


def _parse_field(parse: Mapping[str, Any] | None, field: str) -> str | None:
    value = (parse or {}).get(field)
    if isinstance(value, Mapping):
        value = value.get("name")
    return value if isinstance(value, str) and value else None


def reformulate(
    text: str,
    parse: Mapping[str, Any] | None = None,
    used: Collection[str] = (),
) -> Reformulation | None:
    """The reflection of one debtor message (None when it carries nothing to reflect: "ok", "bonjour").

    `parse` is Rasa's parse result (intent, entities, emotion); `used` the sentences and lead-ins the bot
    already said in this conversation, so that lead-ins and additions vary.
    """
    normalized = drop_meta(normalize(text))
    if not re.search(r"[^\W\d_]", normalized):
        return None
    doc = french()(normalized)
    switched = switch_doc(doc)
    chosen = select(clauses(doc, _parse_field(parse, "intent")))
    pieces: list[tuple[str, Clause]] = []
    framed_first = False
    for clause in chosen:
        piece, framed = _render_clause(doc, switched, clause, first=not pieces)
        if piece:
            framed_first = framed_first or (framed and not pieces)
            pieces.append((piece, clause))
    if not pieces:
        return None
    content = tidy(_join(pieces, doc))
    if len(content) < 3:
        return None
    comma_only = framed_first or " que " in f" {content} " or content.lower().startswith(SUBORDINATORS)
    options = LEAD_INS_COMMA if comma_only else LEAD_INS
    if feels_misunderstood(normalized):  # no "Si je comprends bien" to someone who says we understand nothing
        options = tuple(lead_in for lead_in in options if "compr" not in lead_in)
    lead_in = _choose(options, normalized, used)
    emotion = _parse_field(parse, "emotion") or NEUTRE
    intent = _parse_field(parse, "intent")
    addition = meaning(emotion, normalized, intent, used, content) if emotion != NEUTRE else None
    sentence = tidy(lead_in + content)
    if addition is not None:
        if " et " in content or len(content.split()) > 15:
            # A long reflection keeps its feeling as a sentence of its own: "… Cette situation vous inquiète."
            alone = addition.removeprefix("et ")
            sentence += ". " + alone[:1].upper() + alone[1:]
        else:
            sentence += " " + addition
    sentence += "."
    return Reformulation(
        text=sentence[:1].upper() + sentence[1:],
        kind=COMPLEXE if addition else SIMPLE,
        lead_in=lead_in,
        content=content,
        addition=addition,
    )
