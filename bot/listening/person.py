"""Person switching: what the debtor said about themselves, said back to them ("je peux" → "vous pouvez").

The debtor speaks of themselves in the first person and of us in the second; the reflection says the
same facts from our side: je/me/moi/mon → vous/votre, and what they said of us (vous/votre) → nous/notre.
Verbs follow their subject, in the same mood and tense, conjugated from the Verbiste tables
(`conjugation.py`); spaCy gives the tokens, lemmas, dependencies and morphology used to decide.
Imperatives addressed to us become a wish ("Arrêtez de m'appeler" → "vous souhaitez que nous arrêtions
de vous appeler").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from bot.listening.conjugation import (
    CONDITIONNEL,
    FUTUR,
    IMPARFAIT,
    INDICATIF,
    JE,
    NOUS,
    PRESENT,
    SUBJONCTIF,
    VOUS,
    switch_form,
    verbiste,
)
from bot.listening.lexicon import FAMILIAR_VERBS
from bot.listening.nlp import french
from bot.listening.normalize import normalize

CLITICS = frozenset({"ne", "n'", "me", "m'", "te", "t'", "se", "s'", "le", "la", "l'", "les", "lui", "leur", "y", "en"})
PERSONAL_CLITICS = frozenset({"nous", "vous"})
NEGATIONS = frozenset({"pas", "plus", "jamais", "rien", "personne", "guère", "point", "aucun", "aucune"})
_MORE_VERBS = frozenset({"vouloir", "demander", "souhaiter", "falloir", "préférer", "aimer", "gagner", "payer"})
_SUBJUNCTIVE_TRIGGERS = frozenset(
    "falloir faut faudrait fallait vouloir veux voudrais voudrait veut souhaiter souhaite souhaiterais aimerais "
    "préférer préfère préférerais pour avant sans afin bien peur craindre crains attendre attends possible "
    "normal important temps moins jusqu'à".split()
)
_POSSESSIVES = {
    "mon": "votre",
    "ma": "votre",
    "mes": "vos",
    "notre": "votre",
    "nos": "vos",
    "votre": "notre",
    "vos": "nos",
    "mien": "vôtre",
    "mienne": "vôtre",
    "miens": "vôtres",
    "miennes": "vôtres",
    "vôtre": "nôtre",
    "vôtres": "nôtres",
    "nôtre": "vôtre",
    "nôtres": "vôtres",
}
_OBJECT_PRONOUNS = {"me": "vous", "m'": "vous ", "nous": "vous", "vous": "nous"}
_STRESSED = {"moi": "vous", "moi-même": "vous-même", "nous-mêmes": "vous-mêmes", "vous-même": "nous-mêmes"}
_POSTPOSED_ORDER = {"vous": 0, "nous": 0, "le": 1, "la": 1, "les": 1, "lui": 2, "leur": 2, "y": 3, "en": 4}
_CLAUSE_OPENERS = frozenset({"et", "mais", "alors", "donc", "puis", "sinon", "bref", "enfin", "ou", "car"})


@dataclass
class Switched:
    """A doc with the output text of each token (empty: dropped) and the verbs that changed person."""

    doc: Doc
    words: list[str]
    verbs: dict[int, tuple[int, int]] = field(default_factory=dict)
    misses: list[int] = field(default_factory=list)  # verbs after a switched subject that could not be conjugated

    def render(self, start: int = 0, end: int | None = None) -> str:
        end = len(self.doc) if end is None else end
        parts: list[str] = []
        for index in range(start, end):
            word = self.words[index]
            if not word:
                if self.doc[index].whitespace_ and parts and not parts[-1].endswith(" "):
                    parts.append(" ")
                continue
            parts.append(word)
            if self.doc[index].whitespace_ and not word.endswith(" "):
                parts.append(" ")
        return tidy("".join(parts))


@dataclass
class _Pending:
    source: int
    target: int
    subject: int


def tidy(text: str) -> str:
    """Spacing and elision after words changed: "ne arrivez" → "n'arrivez", "si il" → "s'il"."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.])", r"\1", text)
    text = re.sub(
        r"\b([nN]e|[dD]e|[qQ]ue|[sS]e|[jJ]usque|[lL]orsque|[pP]uisque) (?=[aeiouyéèêâîôhAEIOUYÉ])", _elide, text
    )
    text = re.sub(r"\b([sS])i (?=ils?\b)", r"\1'", text)
    return text.strip()


def _elide(match: re.Match[str]) -> str:
    word = match.group(1)
    following = match.string[match.end() : match.end() + 2].lower()
    if following.startswith("h") and word.lower() != "ne":
        return match.group(0)
    return word[:-1] + "'"


def _case(source: str, word: str) -> str:
    return word[:1].upper() + word[1:] if source[:1].isupper() and word else word


def _tense_hint(token: Token) -> tuple[str, str] | None:
    morph = token.morph
    if "Sub" in morph.get("Mood"):
        return SUBJONCTIF, PRESENT
    if "Cnd" in morph.get("Mood"):
        return CONDITIONNEL, PRESENT
    if "Imp" in morph.get("Tense"):
        return INDICATIF, IMPARFAIT
    if "Fut" in morph.get("Tense"):
        return INDICATIF, FUTUR
    return None


def _subjunctive_context(doc: Doc, subject: int) -> bool:
    """ "il faut que je paie", "pour que je puisse", "avant que je sois payé"."""
    before = subject - 1
    if before < 0 or doc[before].lower_ not in ("que", "qu'"):
        return False
    window = doc[max(0, before - 4) : before]
    return any(t.lower_ in _SUBJUNCTIVE_TRIGGERS or t.lemma_ in _SUBJUNCTIVE_TRIGGERS for t in window)


def _next_significant(doc: Doc, index: int) -> int | None:
    for k in range(index + 1, len(doc)):
        if doc[k].lower_ not in CLITICS and doc[k].lower_ not in PERSONAL_CLITICS:
            return k
    return None


def _is_subject(doc: Doc, index: int, person: int) -> bool:
    """ "vous me harcelez": "vous" is the subject when the next non-clitic word is a verb at its person."""
    token = doc[index]
    following = _next_significant(doc, index)
    if following is None:
        return False
    verb = doc[following]
    if verbiste().readings(verb.lower_, person, sms=False):
        return True
    return token.dep_.startswith("nsubj") and verb.pos_ in ("VERB", "AUX") and verb.i == token.head.i


def _clause_start(doc: Doc, index: int) -> bool:
    if index == 0:
        return True
    previous = doc[index - 1]
    return previous.is_punct or previous.lower_ in _CLAUSE_OPENERS


class _Switcher:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.result = Switched(doc, [t.text for t in doc])
        self.done: set[int] = set()

    # -- imperatives addressed to us ---------------------------------------------------------------------
    def imperatives(self) -> None:
        doc, words = self.doc, self.result.words
        for index, token in enumerate(doc):
            lowered = token.lower_
            infinitive = verbiste().imperative(lowered)
            if infinitive is None:
                continue
            start = index
            while start > 0 and doc[start - 1].lower_ in CLITICS | PERSONAL_CLITICS:
                start -= 1
            if not _clause_start(doc, start) or (start < index and doc[start].lower_ not in ("ne", "n'")):
                continue
            if index + 1 < len(doc) and doc[index + 1].lower_ in ("vous", "nous", "-vous", "-nous"):
                continue  # "vous" after the verb: a question or a pronominal verb, not an order to us
            verb_index = index
            if lowered == "veuillez":
                verb_index = self._infinitive_after(index)
                if verb_index is None:
                    continue
                infinitive = verbiste().infinitive(doc[verb_index].lower_) or doc[verb_index].lemma_
                words[index] = ""
            subjunctive = verbiste().conjugate(infinitive, SUBJONCTIF, PRESENT, NOUS)
            if subjunctive is None:
                continue
            postposed = []
            for k in range(verb_index + 1, len(doc)):
                pronoun = doc[k].lower_.lstrip("-")
                hyphenated = doc[k].text.startswith("-") or (k == verb_index + 1 and pronoun == "moi")
                if not hyphenated or pronoun not in _POSTPOSED_ORDER | {"moi": 0}:
                    break
                postposed.append(_OBJECT_PRONOUNS.get(pronoun, "vous" if pronoun == "moi" else pronoun))
                words[k] = ""
                self.done.add(k)
            postposed.sort(key=lambda p: _POSTPOSED_ORDER.get(p.strip(), 0))
            for k in range(start, verb_index):
                if doc[k].lower_ in _OBJECT_PRONOUNS:
                    words[k] = _OBJECT_PRONOUNS[doc[k].lower_]
                self.done.add(k)
            words[verb_index] = " ".join([*postposed, subjunctive]).replace("le en", "l'en")
            frame = "vous souhaitez que nous"
            words[start] = f"{frame} {words[start].lower()}" if words[start] else frame
            self.done.update({index, verb_index})
            self.result.verbs[verb_index] = (VOUS, NOUS)

    def _infinitive_after(self, index: int) -> int | None:
        for k in range(index + 1, min(len(self.doc), index + 4)):
            token = self.doc[k]
            if token.lower_ in CLITICS or token.lower_ in PERSONAL_CLITICS:
                continue
            return k if "Inf" in token.morph.get("VerbForm") or verbiste().infinitive(token.lower_) else None
        return None

    # -- subjects, pronouns, determiners, verbs ---------------------------------------------------------
    def pronouns_and_verbs(self) -> None:
        doc, words = self.doc, self.result.words
        pending: _Pending | None = None
        for index, token in enumerate(doc):
            if index in self.done:
                continue
            lowered = token.lower_
            if pending is not None:
                if lowered in CLITICS or lowered in PERSONAL_CLITICS:
                    words[index] = _case(token.text, _OBJECT_PRONOUNS.get(lowered, token.text))
                    continue
                if lowered == "qui" and doc[pending.subject].lower_ == "moi":
                    continue
                self._switch_verb(index, pending)
                pending = None
                continue
            if lowered in ("je", "j'"):
                words[index] = _case(token.text, "vous " if lowered == "j'" else "vous")
                pending = _Pending(JE, VOUS, index)
            elif lowered in ("nous", "vous"):
                source, target = (NOUS, VOUS) if lowered == "nous" else (VOUS, NOUS)
                words[index] = _case(token.text, _OBJECT_PRONOUNS[lowered])
                if _is_subject(doc, index, source):
                    pending = _Pending(source, target, index)
            elif lowered in ("me", "m'"):
                words[index] = _case(token.text, _OBJECT_PRONOUNS[lowered])
            elif lowered == "moi":
                self._moi(index)
                following = doc[index + 1].lower_ if index + 1 < len(doc) else ""
                if following == "qui":
                    pending = _Pending(JE, VOUS, index)
            elif lowered in _STRESSED:
                words[index] = _case(token.text, _STRESSED[lowered])
            elif lowered in _POSSESSIVES and (lowered not in ("notre", "nos", "votre", "vos") or token.pos_ == "DET"):
                words[index] = _case(token.text, _POSSESSIVES[lowered])
            elif lowered in ("mien", "mienne", "miens", "miennes", "vôtre", "vôtres", "nôtre", "nôtres"):
                words[index] = _POSSESSIVES[lowered]

    def _moi(self, index: int) -> None:
        doc, words = self.doc, self.result.words
        following = [t.lower_ for t in doc[index + 1 : index + 3]]
        if following[:1] in (["je"], ["j'"]) or following[:2] in ([",", "je"], [",", "j'"]):
            words[index] = ""  # "Moi, je suis…": the stress is dropped, "vous" follows
            if following[:1] == [","]:
                words[index + 1] = ""
            return
        words[index] = _case(doc[index].text, "vous")
        if following[:1] == ["aussi"] and index + 2 < len(doc) and doc[index + 2].lower_ in ("je", "j'"):
            words[index + 1] = "aussi,"  # "moi aussi j'ai des charges" → "vous aussi, vous avez des charges"

    def _switch_verb(self, index: int, pending: _Pending, negation: bool = True) -> None:
        doc, words = self.doc, self.result.words
        token = doc[index]
        lowered = token.lower_
        familiar = FAMILIAR_VERBS.get(token.lemma_) or FAMILIAR_VERBS.get(_first_person_infinitive(lowered))
        if familiar is not None:
            mood, tense = _tense_hint(token) or (INDICATIF, PRESENT)
            base = verbiste().conjugate(familiar[0], mood, tense, pending.target)
            form = f"{base} {familiar[1]}".strip() if base else None
        else:
            mood_hint = SUBJONCTIF if _subjunctive_context(doc, pending.subject) else None
            form = switch_form(lowered, pending.source, pending.target, token.lemma_, mood_hint, _tense_hint(token))
        if form is None:
            self.result.misses.append(index)
            return
        words[index] = _case(token.text, form)
        self.result.verbs[index] = (pending.source, pending.target)
        if negation:
            self._restore_negation(index, pending.subject)

    def _restore_negation(self, verb: int, subject: int) -> None:
        """Spoken French drops "ne": "je peux pas" is reflected as "vous ne pouvez pas"."""
        doc, words = self.doc, self.result.words
        if any(doc[k].lower_ in ("ne", "n'") for k in range(subject + 1, verb)):
            return
        following = verb + 1
        if following < len(doc) and doc[following].lower_ in ("toujours", "vraiment", "même", "encore"):
            following += 1
        if following >= len(doc) or doc[following].lower_ not in NEGATIONS:
            return
        if doc[following].lower_ == "plus" and self._comparative_plus(verb, following):
            return
        words[subject] = words[subject].rstrip() + " ne "

    def _comparative_plus(self, verb: int, plus: int) -> bool:
        doc = self.doc
        after = [t for t in doc[plus + 1 : plus + 3]]
        if after and after[0].lower_ == "que":
            return True
        if after and after[0].lower_ in ("de", "d'"):
            return doc[verb].lemma_ in _MORE_VERBS or (len(after) > 1 and after[1].like_num)
        return False

    def coordinated_verbs(self) -> None:
        """ "je travaille et gagne peu": the second verb shares the subject."""
        doc = self.doc
        for token in doc:
            if token.dep_ != "conj" or token.i in self.result.verbs or token.head.i not in self.result.verbs:
                continue
            if any(child.dep_.startswith("nsubj") for child in token.children):
                continue
            source, target = self.result.verbs[token.head.i]
            pending = _Pending(source, target, token.head.i)
            auxiliaries = [c for c in token.children if c.dep_.startswith("aux") and c.i not in self.result.verbs]
            if auxiliaries:
                aux = auxiliaries[0]
                if verbiste().readings(aux.lower_, source, sms=False):
                    self._switch_verb(aux.i, pending, negation=False)
            elif verbiste().readings(token.lower_, source, sms=False):
                self._switch_verb(token.i, pending, negation=False)


def _first_person_infinitive(form: str) -> str:
    readings = verbiste().readings(form, JE, sms=False)
    return readings[0].infinitive if readings else ""


def switch_doc(doc: Doc) -> Switched:
    """Switches every person in a parsed (already normalised) text."""
    switcher = _Switcher(doc)
    switcher.imperatives()
    switcher.pronouns_and_verbs()
    switcher.coordinated_verbs()
    return switcher.result


def switch_person(text: str) -> str:
    """The whole text, normalised and switched: "J'ai perdu mon boulot" → "vous avez perdu votre emploi"."""
    return switch_doc(french()(normalize(text))).render()
