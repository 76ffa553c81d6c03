"""How a clause is said back when it is not a plain statement about the debtor.

- a question becomes the question the debtor asks themselves: "vous vous demandez si vous pouvez…";
- what the debtor says of us is their view, never our admission: "vous avez le sentiment que nous vous
  sollicitons trop souvent", "vous estimez que nos frais sont abusifs";
- an opinion without a person becomes theirs: "vous trouvez que le montant est faux".
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from bot.listening.condense import Clause
from bot.listening.conjugation import VOUS
from bot.listening.person import Switched, tidy

WISH = "vous souhaitez que nous"
SUBORDINATORS = (
    "quand ",
    "lorsque ",
    "lorsqu'",
    "si ",
    "s'il",
    "bien que ",
    "bien qu'",
    "avant que ",
    "avant qu'",
    "depuis que ",
    "depuis qu'",
    "dès que ",
    "dès qu'",
    "comme ",
    "puisque ",
    "puisqu'",
    "alors que ",
    "même si ",
    "tant que ",
    "pendant que ",
    "depuis votre ",
    "depuis vos ",
)
_SOLLICITATION = frozenset(
    "harceler harcèlement relancer relance appeler appel téléphoner écrire envoyer courrier sms message mail".split()
)
_FREQUENCY = re.compile(
    r"tous les jours|sans arrêt|tout le temps|sans cesse|plusieurs fois|chaque jour|trop|encore|harcel|"
    r"\b(\d+|deux|trois|quatre|cinq|dix|\w+ième) fois",
    re.I,
)
_DISHONEST = frozenset(
    "mentir menteur arnaquer arnaque arnaqueur voler voleur vol escroc escroquer escroquerie".split()
)
# Words of judgement spaCy does not always tag as adjectives ("c'est scandaleux", "c'est du harcèlement").
_JUDGEMENTS = frozenset(
    "scandaleux scandaleuse inadmissible inacceptable honteux honteuse abusif abusive injuste dégueulasse "
    "harcèlement honte scandale abus n'importe quoi arnaque vol".split()
)
_INSULTS = frozenset("nul nuls incompétent incompétents inhumain inhumains ridicule ridicules pénible pénibles".split())
_INTERROGATIVES = (
    "pourquoi",
    "combien",
    "comment",
    "quand",
    "où",
    "quel",
    "quelle",
    "quels",
    "quelles",
    "à quel",
    "à quelle",
    "de combien",
    "à qui",
    "qui",
    "à quoi",
    "ce que",
    "ce qui",
)


def _clause_subject(switched: Switched, clause: Clause) -> tuple[int, int] | None:
    verbs = [switched.verbs[i] for i in sorted(switched.verbs) if clause.start <= i < clause.end]
    return verbs[0] if verbs else None


def _mentions_debtor(doc: Doc, clause: Clause) -> bool:
    first_person = {"je", "j'", "me", "m'", "moi", "mon", "ma", "mes", "moi-même", "nous", "notre", "nos"}
    return any(t.lower_ in first_person for t in doc[clause.start : clause.end])


def _lemmas(doc: Doc, clause: Clause) -> set[str]:
    return {t.lemma_.lower() for t in doc[clause.start : clause.end]} | {
        t.lower_ for t in doc[clause.start : clause.end]
    }


_LEADING_CONNECTIVES = re.compile(r"^(?:(?:alors|et|mais|donc|bon)\s+)+", re.I)  # "et alors pourquoi…"


def question(text: str) -> str:
    """ "est-ce que vous pouvez payer" → "si vous pouvez payer"; "vous risquez quoi" → "ce que vous risquez"."""
    text = _LEADING_CONNECTIVES.sub("", text)
    lowered = text.lower()
    if lowered.startswith(("si ", "s'il", "s'ils")):  # "et si je paie 30 euros" is already an indirect question
        return tidy(text)
    for prefix, replacement in (
        ("qu'est-ce que ", "ce que "),
        ("qu'est-ce qu'", "ce qu'"),
        ("qu'est-ce qui ", "ce qui "),
        ("c'est quoi ", "à quoi correspond "),
        ("est-ce que ", "si "),
        ("est-ce qu'", "si "),
        ("que ", "ce que "),
        ("qu'", "ce qu'"),
    ):
        if lowered.startswith(prefix):
            return tidy(replacement + text[len(prefix) :])
    if lowered.startswith(_INTERROGATIVES):
        return text
    inside = re.search(r"\s(combien|pourquoi|comment|quand|où)\b", lowered)
    if inside:  # "vous devez payer combien exactement" → "combien vous devez payer exactement"
        return tidy(f"{inside.group(1)} {text[: inside.start()]}{text[inside.end() :]}")
    embedded = re.search(r"\s(quoi)\b", lowered)
    if embedded:
        return tidy("ce que " + text[: embedded.start()] + text[embedded.end() :])
    return tidy("si " + text)


_MAYBE = re.compile(r"^peut[- ][eê]tre\s+|,?\s+peut[- ][eê]tre$", re.I)
_ABOUT = re.compile(r"^(?:pour|sur|concernant|à propos d(?:e|u|es)?)\s+", re.I)
_AMOUNT = re.compile(r"\d\s*(?:€|euros?|balles)|\beuros?\b", re.I)


def _verbless_question(text: str) -> str:
    """A question without a verb cannot follow "vous vous demandez si": "peut-être 40 euros par mois ?" → "vous
    pensez peut-être à 40 euros par mois"; "et pour les frais ?" → "vous vous interrogez sur les frais"."""
    content, maybe = _MAYBE.subn("", text.strip())
    if maybe or _AMOUNT.search(content):  # something the debtor considers: an amount, "une remise peut-être"
        return tidy(f"vous pensez {'peut-être ' if maybe else ''}à {_ABOUT.sub('', content)}")
    return tidy(f"vous vous interrogez sur {_ABOUT.sub('', content)}")


def _evaluative(doc: Doc, clause: Clause) -> bool:
    """An opinion rather than a fact: "c'est insupportable", "le montant est faux", "vos frais sont abusifs"."""
    tokens = doc[clause.start : clause.end]
    copula = any(t.lemma_ in ("être", "paraître", "sembler") for t in tokens)
    has_adjective = any(t.pos_ == "ADJ" and t.dep_ in ("ROOT", "acl", "xcomp", "conj") for t in tokens)
    starts_with_ca = tokens.text.lower().startswith(("c'est", "c'était", "ça", "ce n'est", "ce n'était"))
    judged = any(t.pos_ == "ADJ" or t.lower_ in _JUDGEMENTS or t.lemma_ in _JUDGEMENTS for t in tokens)
    return (copula and has_adjective) or (starts_with_ca and judged)


def frame(doc: Doc, switched: Switched, clause: Clause, text: str) -> tuple[str, bool]:
    """The clause as the debtor's view when it is a question or about us; True when framed."""
    lemmas = _lemmas(doc, clause)
    original = doc[clause.start : clause.end].text.lower()
    subject = _clause_subject(switched, clause)
    about_us = subject is not None and subject[0] == VOUS
    negated = bool(lemmas & {"ne", "n'", "pas", "jamais", "rien", "plus"})
    if clause.question:
        if lemmas & _DISHONEST:
            return "vous vous demandez si notre démarche est sérieuse", True
        tokens = doc[clause.start : clause.end]
        verbless = not any(token.pos_ in ("VERB", "AUX") for token in tokens)
        if verbless and any(token.pos_ in ("NOUN", "PROPN", "NUM") for token in tokens):
            asked = _LEADING_CONNECTIVES.sub("", text)
            if not asked.lower().startswith(_INTERROGATIVES):  # "combien ?", "pourquoi les frais ?" stay as asked
                return _verbless_question(asked), True
        return "vous vous demandez " + question(text), True
    if lemmas & _DISHONEST and not about_us and not _mentions_debtor(doc, clause):
        return "vous avez le sentiment que nous ne sommes pas honnêtes avec vous", True
    if about_us:
        if "harceler" in lemmas or (lemmas & _SOLLICITATION and _FREQUENCY.search(original)):
            return "vous avez le sentiment que nous vous sollicitons trop souvent", True
        if "écouter" in lemmas and negated:
            return "vous avez le sentiment que nous ne vous écoutons pas", True
        if "comprendre" in lemmas and negated:
            return "vous avez le sentiment que nous ne comprenons pas votre situation", True
        if lemmas & _DISHONEST:
            return "vous avez le sentiment que nous ne sommes pas honnêtes avec vous", True
        if lemmas & {"menacer", "menace", "menaçant", "menaçante", "menaçants", "menaçantes"}:
            return "vous avez ressenti nos messages comme une menace", True
        if lemmas & _INSULTS:
            return "la façon dont votre dossier est traité ne vous satisfait pas", True
        if text.startswith(WISH):
            return text, True  # an order to us, already said as the debtor's wish
        if _evaluative(doc, clause):
            return tidy("vous estimez que " + text), True
        return text, True  # a fact about us: the attributive lead-in says it is the debtor's word
    figures = any(t.like_num for t in doc[clause.start : clause.end])
    if not _mentions_debtor(doc, clause) and subject is None and _evaluative(doc, clause) and not figures:
        return tidy("vous trouvez que " + text), True
    return text, text.startswith(WISH)
