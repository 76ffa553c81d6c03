"""Behaviour codes of the trainee's lines after MITI 4.2.1, one code per sentence (an utterance).

Each sentence of an agent turn gets one code:

- `pression`: a compliance finding (threat, invented fee, shaming, legal-sounding label), a clear threat the
  check does not cover (court, calling relatives), or pressure the act classifier is sure of: at least
  `PRESSURE_SURE` for the sentence *and* for the whole turn (short neutral sentences alone, "Non.", "Prenez soin
  de vous.", get 0.6–0.7; the turn gives the context);
- `persuasion` (the rubric's persuasion/confrontation, PC): pressure the classifier finds likely in both (at
  least `PRESSURE_POSSIBLE`) in a sentence that argues or insists ("mais", "il faut", "c'est la règle");
- a question ("?"): `question_ouverte` or `question_fermee`, whichever of the two the classifier ranks higher;
- otherwise the classifier's best non-question act, with two corrections: a ready-made phrase ("Je comprends.",
  "Ne vous inquiétez pas") is `autre`, never empathy; a reflection the classifier half-saw (reformulation at
  least `REFLECTION_HINT`, or a lead-in, or two content words taken from the debtor's last turn) in a sentence
  where the agent does not speak of itself is a reflection.

A reflection is complex when it adds a feeling or a meaning the debtor did not say (emotion words, "comme si",
"une façon de", "vous donne l'impression", a double-sided "en même temps"), simple when it stays with their
words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.compliance.check import Category, check_text, sentences
from bot.listening.meaning import FEELING_WORDS
from bot.listening.reformulation import LEAD_INS

QUESTION_OUVERTE, QUESTION_FERMEE = "question_ouverte", "question_fermee"
REFLET_SIMPLE, REFLET_COMPLEXE = "reflet_simple", "reflet_complexe"
EMPATHIE, INFORMATION, PROPOSITION = "empathie", "information", "proposition"
PERSUASION, PRESSION, AUTRE = "persuasion", "pression", "autre"
CODES = (
    QUESTION_OUVERTE,
    QUESTION_FERMEE,
    REFLET_SIMPLE,
    REFLET_COMPLEXE,
    EMPATHIE,
    INFORMATION,
    PROPOSITION,
    PERSUASION,
    PRESSION,
    AUTRE,
)
CODE_LABELS = {
    QUESTION_OUVERTE: "question ouverte",
    QUESTION_FERMEE: "question fermée",
    REFLET_SIMPLE: "reflet simple",
    REFLET_COMPLEXE: "reflet complexe",
    EMPATHIE: "empathie ou valorisation",
    INFORMATION: "information",
    PROPOSITION: "proposition",
    PERSUASION: "persuasion ou confrontation",
    PRESSION: "pression",
    AUTRE: "autre",
}
# The most telling code of a turn first: a turn is shown by the first of its sentences' codes in this order.
PRIORITY = (
    PRESSION,
    PERSUASION,
    REFLET_COMPLEXE,
    REFLET_SIMPLE,
    EMPATHIE,
    QUESTION_OUVERTE,
    PROPOSITION,
    QUESTION_FERMEE,
    INFORMATION,
    AUTRE,
)

PRESSURE_SURE = 0.75
PRESSURE_POSSIBLE = 0.5
REFLECTION_HINT = 0.2
MIN_SHARED_WORDS = 2  # content words of the debtor's last turn a sentence must take up to read as a reflection
THREAT_CATEGORIES = frozenset({Category.MENACE_JUDICIAIRE, Category.MENACE_HUISSIER, Category.MENACE_FICHAGE})
NON_QUESTION_ACTS = ("reformulation", "empathie", "information", "proposition", "autre")
ACT_CODES = {"empathie": EMPATHIE, "information": INFORMATION, "proposition": PROPOSITION, "autre": AUTRE}


class ActPredictionLike(Protocol):
    act: str
    confidence: float
    ranking: list[tuple[str, float]]


class Classifier(Protocol):
    def predict(self, text: str) -> ActPredictionLike: ...


def plain(text: str) -> str:
    """Lower case, no accents, straight apostrophes, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("\u202f", " ").replace("\xa0", " "))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"\s+", " ", stripped.casefold()).strip()


# Threats the compliance check leaves to the context (matched in plain text, in a sentence read as pressure).
COURT = re.compile(r"\btribunal\b|\bjuges?\b|\ben justice\b|\bau penal\b|\bplainte contre vous\b")
RELATIVES = re.compile(
    r"numero de votre (?:fils|fille|mere|pere|femme|mari|famille|employeur|enfant|proche|voisin)"
    r"|\b(?:je|nous|on)\s+(?:vais\s+|allons\s+|va\s+)?(?:l'|les\s+|la\s+|leur\s+)?"
    r"(?:appel\w*|contact\w*|previen\w*|telephon\w*)\b.{0,40}\b(?:fils|fille|famille|employeur|enfants|proches|voisin)"
)
PERSUASION_WORDS = re.compile(
    r"\bmais\b|\bil faut\b|\bil faudrait\b|\bquand meme\b|\bvous devez\b|\bvous devriez\b|\bon doit\b"
    r"|\bc'est la regle\b|\bcontractuel|\bobligatoire|\btout le monde\b|\bla loi\b|\bpriorite\b|\braisonnable\b"
    r"|\brapidement\b|\bmaintenant\b|\btout de suite\b|\beffort\b|\bvolonte\b|\bengagement\b|\bdoit\b"
    r"|\bavant (?:ce soir|demain|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|\d+ ?h)\b|\bil vous reste\b"
)
YES_BUT = re.compile(r"^je comprends\W+mais\b")
FORMULA = re.compile(
    r"^(?:je comprends|je suis desolee?|ne vous inquietez pas|ce n'est pas grave|il n'y a pas de souci|pas de souci"
    r"|aucun souci|toutes mes condoleances|bien sur|pas de probleme)\b"
)
FORMULA_MAX_WORDS = 6
AGENT_SELF = re.compile(r"(?:^|[\s,;:])(?:je|j'|nous|me|m'|moi)(?=[\s,.;:!?']|$)")
EXTRA_LEAD_INS = ("donc ", "en somme, ", "si je vous comprends bien, ", "vous me dites que ", "vous me dites ")
LEAD_IN_PLAIN = tuple(sorted({plain(lead) for lead in (*LEAD_INS, *EXTRA_LEAD_INS)}, key=len, reverse=True))
# Feelings and meanings a complex reflection adds (plain text); emotion words also from bot.listening.meaning.
MEANING_WORDS = re.compile(
    r"impression|sentiment|\bsent(?:ez|ir|iez)\b|comme si|une facon de|ce qui compte|compte pour vous|tenez a"
    r"|tient a coeur|hors de vous|honneur|trahi|blesse|injust|respect|besoin|lourd|pes(?:e|ait|er)\b|souffl"
    r"|tombe dessus|chagrin|douleur|seule? face|\bcourage|\bfier|\bepuis|soulag|rassur|espoir|\bcrai(?:gn|n)"
)
DOUBLE_SIDED = re.compile(r"\ben meme temps\b|\ba la fois\b|\bd'un cote\b|\bmais aussi\b|\bet pourtant\b")
# Emotion words of bot.listening.meaning, each at the start of a word; not confusion's nor relief's ("perdu",
# "comprend", "mieux" say no feeling in a reflection: "vous avez perdu votre emploi").
FEELINGS = tuple(
    re.compile("|".join(rf"\b{word}" for word in plain(pattern).split("|")))
    for emotion, pattern in FEELING_WORDS.items()
    if emotion not in ("confusion", "soulagement")
)
STOPWORDS = frozenset(
    """avec avoir etre etait etes sont suis vous votre vos nous notre nos leur leurs elle elles ils lui dans pour
    mais donc alors aussi tout tous toute toutes cette cela celle celui ceux comme plus moins tres bien fait faire
    peut pouvez pourriez quand quel quelle quels quelles rien sans sous chez depuis encore deja meme autre autres
    parce entre apres avant ainsi avez aviez avait sommes sera serait etre voila bonjour merci madame monsieur
    oui non juste quoi dont""".split()
)


@dataclass(frozen=True)
class Utterance:
    """One sentence of the agent and its code; `note` (French) says why when it is not the classifier's plain act."""

    text: str
    code: str
    confidence: float
    note: str | None = None
    threat: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "code": self.code,
            "label": CODE_LABELS[self.code],
            "confidence": round(self.confidence, 3),
            "note": self.note,
            "threat": self.threat,
        }


@dataclass(frozen=True)
class CodedTurn:
    index: int
    speaker: str
    text: str
    utterances: tuple[Utterance, ...] = ()
    findings: tuple[str, ...] = ()  # compliance messages (French)

    @property
    def codes(self) -> list[str]:
        return [utterance.code for utterance in self.utterances]

    @property
    def code(self) -> str | None:
        """The turn's most telling code (None for a debtor turn)."""
        codes = set(self.codes)
        return next((code for code in PRIORITY if code in codes), None)

    def as_dict(self) -> dict[str, Any]:
        item: dict[str, Any] = {"index": self.index, "speaker": self.speaker, "text": self.text}
        if self.speaker == "agent":
            item["code"] = self.code
            item["utterances"] = [utterance.as_dict() for utterance in self.utterances]
            item["findings"] = list(self.findings)
        return item


@dataclass
class _Context:
    """What the debtor said before the sentence: the last turn (for overlap) and everything (for novelty)."""

    last_debtor: str = ""
    all_debtor: list[str] = field(default_factory=list)


def stems(text: str) -> set[str]:
    """Content words of a text, cut to five letters ("prélèvements" → "prele"), without common words."""
    words = re.findall(r"[a-z]+", plain(text))
    return {word[:5] for word in words if len(word) >= 4 and word not in STOPWORDS}


def strip_lead_in(sentence: str) -> tuple[str, bool]:
    """The sentence without a reflection lead-in ("Si je comprends bien, …"), and whether it had one."""
    text = plain(sentence)
    for lead in LEAD_IN_PLAIN:
        if text.startswith(lead.strip()):
            return text[len(lead.strip()) :].lstrip(" ,"), True
    return text, False


def is_formula(sentence: str) -> bool:
    """A ready-made phrase ("Je comprends.", "Ne vous inquiétez pas, ce n'est pas grave."): formulas only."""
    clauses = [clause.strip() for clause in re.split(r"[,;:]", plain(sentence).rstrip(" .!…")) if clause.strip()]
    return bool(clauses) and all(
        FORMULA.search(clause) and len(clause.split()) <= FORMULA_MAX_WORDS for clause in clauses
    )


def is_question(sentence: str) -> bool:
    return sentence.rstrip().endswith("?")


def is_threat(sentence: str, categories: Iterable[Category], pressing: bool) -> bool:
    """A clear threat: a compliance threat, or court / relatives named in a sentence read as pressing."""
    text = plain(sentence)
    named = bool(COURT.search(text) or RELATIVES.search(text))
    return bool(set(categories) & THREAT_CATEGORIES) or (pressing and named)


def added_meaning(sentence: str, debtor_said: Sequence[str]) -> list[str]:
    """The feeling or meaning words of a reflection (its lead-in aside) that the debtor did not say themselves."""
    text, said = strip_lead_in(sentence)[0], plain(" ".join(debtor_said))
    found = [match.group(0) for match in MEANING_WORDS.finditer(text)]
    found += [match.group(0) for pattern in FEELINGS for match in pattern.finditer(text)]
    return [word for word in dict.fromkeys(found) if word not in said]


def reflection_kind(sentence: str, debtor_said: Sequence[str]) -> tuple[str, str]:
    """(reflet_simple | reflet_complexe, French note)."""
    added = added_meaning(sentence, debtor_said)
    if added:
        return REFLET_COMPLEXE, "ajoute un sens ou une émotion non dits : " + ", ".join(f"« {w} »" for w in added[:3])
    if DOUBLE_SIDED.search(plain(sentence)):
        return REFLET_COMPLEXE, "reflet double (« en même temps »)"
    shared = stems(sentence) & stems(" ".join(debtor_said))
    if not shared:
        return REFLET_SIMPLE, "reformule sans ajouter de sens ni d'émotion"
    return REFLET_SIMPLE, f"reprend les mots du débiteur ({len(shared)} mot{'s' if len(shared) > 1 else ''} repris)"


def _is_reflection(sentence: str, top_act: str, act: str, probabilities: dict[str, float], context: _Context) -> bool:
    """Whether a statement is a reflection: the classifier's (or half its) reading, a lead-in, or the debtor's words.

    `top_act` is the classifier's first act, `act` the best one that is neither a question nor pressure.
    """
    rest, has_lead_in = strip_lead_in(sentence)
    reflection = probabilities.get("reformulation", 0.0)
    if re.search(r"\d", rest):
        return False  # figures: information, not a reflection
    if top_act == "reformulation":
        return True
    if AGENT_SELF.search(" " + rest):
        return False  # the agent speaking of itself
    if act == "reformulation":
        return reflection >= REFLECTION_HINT
    if has_lead_in:
        return True
    if act not in ("information", "autre"):
        return False
    return reflection >= REFLECTION_HINT or len(stems(rest) & stems(context.last_debtor)) >= MIN_SHARED_WORDS


def _pressure_note(categories: list[str], threat: bool, probability: float) -> str:
    if categories:
        return "; ".join(dict.fromkeys(categories))
    if threat:
        return "menace (tribunal, justice ou appel des proches)"
    return f"pression (classifieur : {probability:.2f})"


def code_sentence(sentence: str, classifier: Classifier, turn_pressure: float, context: _Context) -> Utterance:
    prediction = classifier.predict(sentence)
    probabilities = dict(prediction.ranking)
    findings = check_text(sentence)
    categories = [finding.category for finding in findings]
    pressure = probabilities.get(PRESSION, 0.0)
    text = plain(sentence)
    likely = pressure >= PRESSURE_POSSIBLE
    threat = is_threat(sentence, categories, likely)
    if findings or threat or min(pressure, turn_pressure) >= PRESSURE_SURE:
        labels = [category.label for category in categories]
        confidence = 1.0 if findings else pressure
        return Utterance(sentence, PRESSION, confidence, _pressure_note(labels, threat, pressure), threat)
    if YES_BUT.search(text):
        return Utterance(sentence, PERSUASION, pressure, "« je comprends, mais… » : l'argument efface l'écoute")
    if likely and PERSUASION_WORDS.search(text):
        return Utterance(sentence, PERSUASION, pressure, "argumente ou insiste au lieu d'explorer")
    if is_question(sentence):
        open_p, closed_p = probabilities.get(QUESTION_OUVERTE, 0.0), probabilities.get(QUESTION_FERMEE, 0.0)
        code = QUESTION_OUVERTE if open_p >= closed_p else QUESTION_FERMEE
        return Utterance(sentence, code, max(open_p, closed_p))
    act, confidence = max(((act, probabilities.get(act, 0.0)) for act in NON_QUESTION_ACTS), key=lambda x: x[1])
    if is_formula(sentence):
        return Utterance(sentence, AUTRE, confidence, "formule toute faite, pas un reflet")
    if _is_reflection(sentence, prediction.act, act, probabilities, context):
        kind, note = reflection_kind(sentence, context.all_debtor)
        return Utterance(sentence, kind, probabilities.get("reformulation", 0.0), note)
    if prediction.act == PRESSION:  # the classifier leans to pressure without being sure: no other act either
        return Utterance(sentence, AUTRE, pressure, f"pression possible, non retenue (classifieur : {pressure:.2f})")
    if act == "reformulation":
        return Utterance(sentence, AUTRE, confidence)
    return Utterance(sentence, ACT_CODES[act], confidence)


def code_turns(turns: Sequence[Any], classifier: Classifier) -> list[CodedTurn]:
    """Every turn (objects with `speaker` and `text`), the agent's coded sentence by sentence."""
    coded: list[CodedTurn] = []
    context = _Context()
    for index, turn in enumerate(turns):
        if turn.speaker != "agent":
            coded.append(CodedTurn(index, turn.speaker, turn.text))
            context.last_debtor = turn.text
            context.all_debtor.append(turn.text)
            continue
        turn_pressure = dict(classifier.predict(turn.text).ranking).get(PRESSION, 0.0)
        parts = list(sentences(turn.text)) or [turn.text]
        utterances = tuple(code_sentence(part, classifier, turn_pressure, context) for part in parts)
        findings = tuple(finding.message for finding in check_text(turn.text))
        coded.append(CodedTurn(index, turn.speaker, turn.text, utterances, findings))
    return coded


# ---------------------------------------------------------------------- MITI summary measures

# MITI 4.2.1 thresholds ("fair", "good"): reflection-to-question ratio, % complex reflections; open questions
# as in the rubric ("questions ouvertes majoritaires") and MITI 3 (50 %, 70 %).
THRESHOLDS = {"r_q": (1.0, 2.0), "complex_share": (0.40, 0.50), "open_share": (0.50, 0.70)}


@dataclass(frozen=True)
class Measures:
    counts: dict[str, int]

    @property
    def reflections(self) -> int:
        return self.counts[REFLET_SIMPLE] + self.counts[REFLET_COMPLEXE]

    @property
    def questions(self) -> int:
        return self.counts[QUESTION_OUVERTE] + self.counts[QUESTION_FERMEE]

    @property
    def r_q(self) -> float | None:
        """Reflections per question (None without a question)."""
        return self.reflections / self.questions if self.questions else None

    @property
    def complex_share(self) -> float | None:
        return self.counts[REFLET_COMPLEXE] / self.reflections if self.reflections else None

    @property
    def open_share(self) -> float | None:
        return self.counts[QUESTION_OUVERTE] / self.questions if self.questions else None

    @property
    def empathy(self) -> int:
        return self.counts[EMPATHIE]

    def as_dict(self) -> dict[str, Any]:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 3)

        return {
            "counts": dict(self.counts),
            "reflections": self.reflections,
            "questions": self.questions,
            "reflection_to_question": rounded(self.r_q),
            "complex_reflection_share": rounded(self.complex_share),
            "open_question_share": rounded(self.open_share),
            "empathy": self.empathy,
            "thresholds": {name: list(values) for name, values in THRESHOLDS.items()},
        }


def measures(turns: Iterable[CodedTurn]) -> Measures:
    counts = dict.fromkeys(CODES, 0)
    for turn in turns:
        for utterance in turn.utterances:
            counts[utterance.code] += 1
    return Measures(counts)
