"""Long messages condensed to their main concern(s): the clauses that carry the difficulty or the request.

A message is cut into clauses (sentences, commas, clause-opening conjunctions); each clause is scored on
what a reflection must keep — the debtor's situation, figures and dates, the request, what they say of
us — and filler (greetings, "voilà", "je vous écris car") is dropped. Up to `budget` words are kept,
in the order the debtor said them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

BUDGET = 25
FILLER_SCORE = -10.0

# Lemmas and words that carry a debtor's situation or difficulty.
SITUATION = frozenset(
    """perdre licencier licenciement chômage chômeur malade maladie hôpital hospitaliser opération accident décès
    décéder mourir deuil divorce divorcer séparer séparation quitter dette crédit loyer facture découvert retard
    impayé rsa apl caf allocation salaire revenu argent euro euros € budget charge enfant seul seule dépression
    arrêt retraite pension smic difficulté difficile mal problème urgence huissier saisie banque frais travail
    emploi contrat cdd cdi intérim mi-temps partiel faillite fermer baisser dormir peur stress stresser honte
    marre inquiet inquiète angoisse angoisser vivre payer régler rembourser gagner toucher verser devoir
    mensualité fois échéancier étaler délai reporter attendre temps mois fin semaine paie virement prélèvement
    carte chèque option proposition montant somme solde total totalité contrat justificatif facture preuve
    sentir arriver pouvoir perdu harceler appeler relancer menacer arnaque escroquer voler mentir comprendre
    écouter rappeler conseiller humain retraité retraitée étudiant étudiante bourse voiture panne réparation
    santé soucis souci pépin handicap handicapé handicapée garde pression""".split()
)
MONTHS_AND_DAYS = frozenset(
    """janvier février mars avril mai juin juillet août septembre octobre novembre décembre lundi mardi mercredi
    jeudi vendredi samedi dimanche demain hier""".split()
)
PROPOSAL_INTENTS = frozenset({"proposer_paiement", "demander_delai", "demander_echeancier", "payer_totalite"})
REQUEST = frozenset("échéancier étaler délai reporter mensualité verser versement plusieurs fois attendre".split())
FILLER = frozenset(
    """oui non ok okay bon ben bah euh voilà alors bref enfin donc sinon bonjour bonsoir merci d'accord daccord
    hein quoi bien très tout ça madame monsieur allô allo salut coucou franchement honnêtement sincèrement
    écoutez""".split()
)
CONNECTORS = (
    "parce que",
    "parce qu'",
    "mais",
    "car",
    "donc",
    "et",
    "puis",
    "alors",
    "du coup",
    "sauf que",
    "puisque",
    "en plus",
    "de plus",
    "sinon",
    "bref",
    "enfin",
    "en fait",
    "par contre",
    "pourtant",
    "or",
)
_SUBJECTS = frozenset({"je", "j'", "il", "elle", "on", "nous", "vous", "ils", "elles", "c'", "ce", "ça"})
_SUBORDINATORS = frozenset(
    "que qu' qui si s' quand lorsque lorsqu' comme où et mais ou car donc parce puisque puisqu' dont comment pourquoi "
    "combien quoi ce".split()
)
_PRONOUNS = frozenset(
    "je j' tu il elle on nous vous ils elles ne n' me m' te t' se s' le la l' les lui leur y en".split()
)
_COORDINATING = frozenset({"et", "mais", "donc", "car", "puis", "alors", "or", "pourtant"})
_META = re.compile(
    r"(^|(?<=[.!?]\s))(je|j')\s*(vous|me permets de vous|tenais à vous|tiens à vous|voulais vous|voudrais vous)?\s*"
    r"(écris|écrire|contacte|contacter|informe|informer|signale|signaler|préviens|prévenir|dire|explique|"
    r"expliquer|reviens vers vous|revenir vers vous)\s*(pour vous (dire|informer|signaler|prévenir|expliquer))?\s*"
    r"(que |qu'|car |parce que |parce qu'|: )",
    re.IGNORECASE,
)


@dataclass
class Clause:
    start: int  # token indices in the doc, end excluded
    end: int
    score: float
    words: int
    sentence: int  # index of the sentence it belongs to
    question: bool


def drop_meta(text: str) -> str:
    """ "Je vous écris car j'ai perdu mon emploi" → "j'ai perdu mon emploi"."""
    return _META.sub(lambda m: m.group(1), text)


def _word_count(doc: Doc, start: int, end: int) -> int:
    return sum(1 for token in doc[start:end] if not token.is_punct)


def _starts_clause(doc: Doc, index: int) -> bool:
    """A coordinating word that opens a new clause (a subject or a finite verb follows), not "toi et moi"."""
    token = doc[index]
    if token.lower_ not in _COORDINATING or index + 1 >= len(doc):
        return False
    if token.lower_ in ("donc", "pourtant") and index > 0 and doc[index - 1].pos_ in ("VERB", "AUX"):
        return False  # "je souhaiterais donc réduire": an adverb inside the clause
    if token.lower_ in ("car", "donc", "mais", "or", "pourtant"):
        return True
    following = doc[index + 1 : index + 6]
    if following and following[0].lower_ in _SUBJECTS - {"ce"}:
        return True  # "et j'en ai besoin", "mais il faut"
    if not following or following[0].pos_ not in ("PRON", "DET", "PROPN", "ADV", "VERB", "AUX"):
        return False
    return any(t.pos_ in ("VERB", "AUX") and "Inf" not in t.morph.get("VerbForm") for t in following)


def _sentences(doc: Doc) -> dict[int, int]:
    """Sentence number of each token, from the punctuation only (spaCy's splits are unreliable on SMS)."""
    number, sentence_of = 0, {}
    for token in doc:
        sentence_of[token.i] = number
        if token.text in (".", "!", "?", "…"):
            number += 1
    return sentence_of


def _new_subject(doc: Doc, index: int, start: int) -> bool:
    """ "jpeux pa payer g perdu mon taf": a subject pronoun after a finite verb opens a new clause."""
    token = doc[index]
    if token.lower_ not in _SUBJECTS or index == start:
        return False
    previous = doc[index - 1]
    if previous.is_punct or previous.lower_ in _SUBORDINATORS or previous.lower_ in _PRONOUNS:
        return False
    if previous.pos_ in ("VERB", "AUX", "ADP"):
        return False  # "je vous dois", "vouloir vous appeler", "de vous parler": an object, not a subject
    following = next((t for t in doc[index + 1 :] if t.lower_ not in _PRONOUNS), None)
    if following is None or following.pos_ not in ("VERB", "AUX"):
        return False
    if {"Inf", "Part"} & set(following.morph.get("VerbForm")):
        return False
    return any(
        t.pos_ in ("VERB", "AUX") and not {"Inf", "Part"} & set(t.morph.get("VerbForm")) for t in doc[start:index]
    )


def _has_verb(doc: Doc, start: int, end: int) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in doc[start:end])


def clauses(doc: Doc, intent: str | None = None) -> list[Clause]:
    """The clauses of a message, scored (see `score`); `intent` favours the clause carrying a proposal."""
    sentence_of = _sentences(doc)
    bounds: list[tuple[int, int]] = []
    start = 0
    for index, token in enumerate(doc):
        if token.text in (".", "!", "?", ";", "…") or (token.text == "," and index > start):
            bounds.append((start, index + 1))
            start = index + 1
            continue
        if index > start and (
            _starts_clause(doc, index) or token.lower_ in ("parce", "puisque") or _new_subject(doc, index, start)
        ):
            bounds.append((start, index))
            start = index
    if start < len(doc):
        bounds.append((start, len(doc)))
    merged: list[tuple[int, int]] = []
    for begin, end in bounds:
        if (
            merged
            and sentence_of.get(merged[-1][0]) == sentence_of.get(begin)
            and (
                _word_count(doc, *merged[-1]) <= 1
                or (_word_count(doc, *merged[-1]) <= 3 and not _has_verb(doc, *merged[-1]))
            )
        ):
            merged[-1] = (merged[-1][0], end)  # "Depuis, je ne peux plus", "Pour moi, c'est…": joins its clause
        else:
            merged.append((begin, end))
    # In "J'ai payé hier, vous l'avez pas reçu ?" only the clause before the "?" is a question.
    last_of_question = {}
    for number, (begin, end) in enumerate(merged):
        if any(t.text == "?" for t in doc[begin:end]) or (end < len(doc) and doc[end].text == "?"):
            last_of_question[number] = True
    return [
        Clause(
            begin,
            end,
            score(doc, begin, end) + (1.0 if number == 0 else 0.0) + _intent_bonus(doc, begin, end, intent),
            _word_count(doc, begin, end),
            sentence_of.get(begin, 0),
            last_of_question.get(number, False),
        )
        for number, (begin, end) in enumerate(merged)
        if _word_count(doc, begin, end) > 0
    ]


def _intent_bonus(doc: Doc, start: int, end: int, intent: str | None) -> float:
    """A message proposing an amount or a date: the clause that holds the figure is its main concern."""
    tokens = doc[start:end]
    contrast = 1.0 if tokens.text.lower().startswith(("mais ", "par contre ", "cependant ", "pourtant ")) else 0.0
    if intent not in PROPOSAL_INTENTS or any(t.lower_ in ("pas", "plus", "jamais", "ne", "n'") for t in tokens):
        return contrast
    return contrast + (3.0 if any(t.like_num or t.lower_ in MONTHS_AND_DAYS for t in tokens) else 0.0)


def score(doc: Doc, start: int, end: int) -> float:
    """How much of the debtor's concern a clause carries (≤ 0: filler to drop)."""
    tokens = [t for t in doc[start:end] if not t.is_punct]
    if not tokens or all(t.lower_ in FILLER for t in tokens):
        return FILLER_SCORE
    value = 0.0
    words = {t.lower_ for t in tokens} | {t.lemma_.lower() for t in tokens}
    value += 2.0 * min(3, len(words & SITUATION))
    value += 2.0 if words & REQUEST else 0.0
    if any(t.like_num or t.pos_ == "NUM" for t in tokens):
        value += 2.0
    if words & MONTHS_AND_DAYS:
        value += 2.0
    if words & {"je", "j'", "me", "m'", "mon", "ma", "mes", "moi", "nous", "notre", "nos", "mien", "mienne"}:
        value += 1.5
    value += 0.5 * min(4, sum(1 for t in tokens if t.pos_ in ("NOUN", "PROPN")))
    if words & {"vous", "votre", "vos"}:
        value += 1.0
    if words & {"ne", "n'", "pas", "plus", "jamais", "rien"}:
        value += 1.0
    if len(tokens) < 3:
        value -= 1.0
    return value


def select(found: list[Clause], budget: int = BUDGET) -> list[Clause]:
    """The clauses to reflect: all that carry something if they fit, else the best ones within `budget` words."""
    kept = [clause for clause in found if clause.score > FILLER_SCORE]
    if kept and sum(clause.words for clause in kept) <= budget:
        return kept
    useful = [clause for clause in found if clause.score > 0] or sorted(found, key=lambda c: -c.score)[:1]
    chosen: list[Clause] = []
    total = 0
    for clause in sorted(useful, key=lambda c: (-c.score, c.start)):
        if chosen and total + clause.words > budget:
            continue
        chosen.append(clause)
        total += clause.words
    return sorted(chosen, key=lambda c: c.start)
