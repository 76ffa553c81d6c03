"""Debtor text made regular before analysis: SMS spelling, missing accents, familiar words, inversions.

"jpeux pa payer", "g perdu mon taf", "chui a decouvert" → "je peux pas payer", "j'ai perdu mon emploi",
"je suis à découvert". Only spelling and register change here: nothing is switched to the second person.
"""

from __future__ import annotations

import re

from bot.listening.conjugation import JE, VOUS, strip_accents, verbiste
from bot.listening.lexicon import FAMILIAR_VERBS, FAMILIAR_WORDS, MASS_NOUNS, PLURAL_TO_SINGULAR_DET, SMS_WORDS
from bot.listening.nlp import is_known_word

_POLITENESS = re.compile(
    r"\s*(,\s*)?(s'il vous pla[iî]t|s'il te pla[iî]t|svp|stp|(bien )?cordialement|bien à vous|"
    r"(je vous prie d'agréer|veuillez agréer)[^.]*|salutations distinguées|je vous remercie[^.!?,]*|"
    r"merci( d'avance| beaucoup| bien| pour tout| à vous| de votre compréhension)?(?=\s*([.!,]|$))|"
    r"bonne (journée|soirée)(?=\s*([.!]|$)))\s*[.!,]*",
    re.IGNORECASE,
)
_MONEY_SLANG = re.compile(r"\b(mes|des|les|nos|vos|de|d'|pas de|plus de)\s*sous\b", re.IGNORECASE)
_GREETING = re.compile(
    r"^\s*((bonjour|bonsoir|salut|slt|bjr|coucou|hello|allô|allo)(\s+(madame|monsieur|mademoiselle|à vous|"
    r"à tous))*|madame,?\s*monsieur|madame|monsieur)\s*[,.!]*\s*",
    re.IGNORECASE,
)
_APOSTROPHE = re.compile(r"[’`´]")
_ELIDED_SUBJECT = re.compile(r"\bj([aeiouyéèêâîôh][\wÀ-ÿ]*)", re.IGNORECASE)
_BARE_SUBJECT = re.compile(r"\bj([bcdfgklmnpqrstvwxz][\wÀ-ÿ]*)", re.IGNORECASE)
_INVERTED_JE = re.compile(r"\b([\wÀ-ÿ]+)-je\b", re.IGNORECASE)
_INVERTED_THIRD = re.compile(r"\b([\wÀ-ÿ]+)(?:-t)?-(il|elle|on)\b(?=[^?]*\?)", re.IGNORECASE)
_INVERTED_VOUS = re.compile(r"\b([\wÀ-ÿ]+)-vous\b(?=[^?]*\?)", re.IGNORECASE)
_PUNCTUATION_RUNS = re.compile(r"([!?.])\1+")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2764\ufe0f]+")
_SMILEY = re.compile(r"(?<!\w)[:;]-?[()DPp/]+(?!\w)")


def _is_first_person_verb(word: str, sms: bool = False) -> bool:
    readings = verbiste().readings(word, JE)
    if readings and (sms or verbiste().readings(word, JE, sms=False) == readings):
        return True
    # Spelling variants Verbiste lacks, e.g. "paye" (payer): an -er verb in the present.
    return len(word) > 3 and word.endswith("e") and verbiste().infinitive(word + "r") == word + "r"


def _is_second_person_verb(word: str) -> bool:
    return bool(verbiste().readings(word, VOUS, sms=False))


def _expand_subject(match: re.Match[str], elided: bool) -> str:
    whole, rest = match.group(0), match.group(1)
    lowered = rest.lower()
    if _is_first_person_verb(whole.lower()):  # "joins", "jure": already a verb, not "j'" + verb
        return whole
    if elided:
        return f"j'{rest}" if lowered in ("y", "en") or _is_first_person_verb(lowered, sms=True) else whole
    if lowered in ("me", "te", "le", "la", "les", "lui", "leur", "vous", "ne"):
        return f"je {rest}"
    if lowered[0] in "mltn" and len(rest) > 2:
        # "jmen", "jlai", "jnai": an elided clitic glued to the verb ("je m'en", "je l'ai", "je n'ai").
        verb = rest[1:]
        if verb.lower() in ("en", "y") or _is_first_person_verb(verb.lower()):
            return f"je {lowered[0]}'{verb}"
    return f"je {rest}" if _is_first_person_verb(lowered, sms=True) else whole


def _inverted_je(match: re.Match[str]) -> str:
    """ "Puis-je payer ?" → "je peux payer ?", "Ai-je le droit ?" → "j'ai le droit ?"."""
    verb = match.group(1).lower()
    verb = "peux" if verb == "puis" else verb
    return f"j'{verb}" if verb[0] in "aeiouéèêh" else f"je {verb}"


def _inverted_vous(match: re.Match[str]) -> str:
    verb = match.group(1)
    if not _is_second_person_verb(verb.lower()):
        return match.group(0)
    return f"Vous {verb.lower()}" if verb[0].isupper() else f"vous {verb}"


def _replace_words(text: str, table: dict[str, str]) -> str:
    multi = sorted((k for k in table if " " in k), key=len, reverse=True)
    for key in multi:
        text = re.sub(rf"(?<![\wÀ-ÿ']){re.escape(key)}(?![\wÀ-ÿ])", table[key], text, flags=re.IGNORECASE)

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        replacement = table.get(token.lower())
        if replacement is None:
            return token
        if token[0].isupper() and replacement[0].islower():
            return replacement[0].upper() + replacement[1:]
        return replacement

    return re.sub(r"(?<![\wÀ-ÿ'])[\wÀ-ÿ]+(?![\wÀ-ÿ'])", word, text)


_ELIDED_ARTICLE = re.compile(r"\b([lL])[ae] (?=(emploi|entreprise|argent|appartement|enfant|allocation)\b)")
_MA_PARTICIPLE = re.compile(r"\b([mMtTsS])a ([\wÀ-ÿ]+)")
_INTENSIFIER = re.compile(
    r"\b(galère|galere|stresse|flippe|galérer|galerer|stresser|flipper)\s+(grave|trop|de ouf)\b", re.I
)


def _ma_participle(match: re.Match[str]) -> str:
    """SMS "ma quitté", "ma dit" → "m'a quitté", "m'a dit" (only before a masculine past participle)."""
    word = match.group(2).lower()
    if verbiste().is_masculine_participle(word) and not verbiste().readings(word, JE, exact=True):
        return f"{match.group(1)}'a {word}"
    return match.group(0)


def _familiar_infinitives(text: str) -> str:
    """ "je peux pas bosser" → "je peux pas travailler" (conjugated forms are switched in person.py)."""

    def fix(match: re.Match[str]) -> str:
        verb, complement = FAMILIAR_VERBS[match.group(0).lower()]
        return f"{verb} {complement}".strip()

    plain = [verb for verb, (_, complement) in FAMILIAR_VERBS.items() if not complement or verb.startswith("gal")]
    pattern = r"\b(" + "|".join(re.escape(v) for v in plain) + r")\b"
    return re.sub(pattern, fix, text, flags=re.IGNORECASE)


def _mass_nouns(text: str) -> str:
    def fix(match: re.Match[str]) -> str:
        determiner, noun = match.group(1), match.group(2)
        return f"{PLURAL_TO_SINGULAR_DET.get(determiner.lower(), determiner)} {noun}".replace("' ", "'")

    return re.sub(r"\b(mes|des|les|vos|nos)\s+(" + "|".join(MASS_NOUNS) + r")\b", fix, text, flags=re.IGNORECASE)


_PREPOSITION_A = re.compile(r"\ba (?=([\wÀ-ÿ]+))")
_ELISION = re.compile(r"\b([dDnN]e|[qQ]ue|[jJ]usque|[lL]orsque|[pP]uisque) (?=[aeiouyéèêâîôAEIOUÉ])")


def _preposition_a(match: re.Match[str]) -> str:
    """ "a" before an infinitive or a stressed pronoun is the preposition "à" ("du mal a payer")."""
    following = match.group(1).lower()
    if following in ("moi", "vous", "nous", "lui", "eux", "chaque", "cause", "partir") or (
        following.endswith(("er", "ir", "re")) and verbiste().infinitive(following) == following
    ):
        return "à "
    return match.group(0)


def _elide(text: str) -> str:
    """ "de argent" → "d'argent", "ne arrive" → "n'arrive", "que il" → "qu'il"."""
    return _ELISION.sub(lambda m: m.group(1)[:-1] + "'", text)


def _money(determiner: str) -> str:
    """ "mes sous" → "mon argent", "pas de sous" → "pas d'argent", "des sous" → "de l'argent"."""
    lowered = determiner.lower()
    if lowered == "des":
        return "de l'argent"
    if lowered.endswith(("de", "d'")):
        return determiner[: -len("de")] + "d'argent" if lowered.endswith("de") else determiner + "argent"
    return f"{PLURAL_TO_SINGULAR_DET.get(lowered, determiner)} argent".replace("' ", "'")


def _restore_accents(text: str) -> str:
    """Verbs written without accents after an auxiliary or as infinitives: "j'ai paye" → "j'ai payé"."""
    tables = verbiste()
    tokens = re.split(r"(\s+)", text)
    auxiliary = False
    for index, token in enumerate(tokens):
        if not token or token.isspace():
            continue
        core = token.strip('.,;:!?"()')
        lowered = core.lower()
        if not core or not core.isalpha():
            auxiliary = lowered.endswith(("'ai", "'avais", "'aurai", "'aurais", "'étais", "'etais"))
            continue
        fixed = None
        if auxiliary and strip_accents(lowered) == lowered and lowered not in _NOT_PARTICIPLES:
            fixed = tables.past_participle(lowered)
        if fixed is None and lowered.endswith(("er", "ir", "re")) and strip_accents(lowered) == lowered:
            candidate = tables.infinitive(lowered)
            fixed = candidate if candidate != lowered else None
        if fixed and fixed != lowered and is_known_word(fixed):  # "victime" is not the rare "victimé"
            tokens[index] = token.replace(core, fixed if core.islower() else fixed.capitalize())
        previous = tokens[index - 2].strip('.,;:!?"()').lower() if index >= 2 else ""
        auxiliary = (lowered in _AUXILIARY_FORMS and (lowered not in ("a", "as") or _subject_before(previous))) or (
            auxiliary
            and lowered in ("pas", "jamais", "rien", "déjà", "deja", "toujours", "bien", "tout", "plus", "été")
        )
    return "".join(tokens)


# Words after "j'ai" that are not participles missing their accent ("j'en ai marre", "j'ai du retard").
_NOT_PARTICIPLES = frozenset(
    "marre besoin envie peur honte faim mal raison tort confiance froid chaud sommeil hate rien pas plus jamais "
    "tout deja ete du des de une un le la les ma mon mes sa son ses beaucoup trop assez".split()
)
# In SMS "a" is as often the preposition "à" as the verb: after a plural or a verb it is "à"
# ("2 enfants a charge", "je suis a découvert"), after a singular subject it is the verb ("mon salaire a été").
_NOT_SUBJECTS = frozenset("pas rien mal plus peine suis es est sommes êtes sont vais vas va".split())


def _subject_before(previous: str) -> bool:
    return (
        bool(previous)
        and not previous.endswith(("s", "x"))
        and not previous.isdigit()
        and (previous not in _NOT_SUBJECTS)
    )


_AUXILIARY_FORMS = frozenset(
    "ai as a avons avez ont avais avait avions aviez avaient aurai aurais aurait aurez auriez aurons "
    "suis es est sommes êtes sont étais etais était etait étions étiez étaient serai serais sera serez seriez "
    "eu".split()
)


# Words a debtor writes in capitals that are not shouting.
ACRONYMS = frozenset(
    "RSA CAF EDF GDF SFR RIB IBAN APL AAH ALS ASS ARE SMIC CPAM MSA URSSAF HLM CDI CDD SMS PDF CB TV RDV OK "
    "BNP LCL CIC TVA IRM SAMU".split()
)
_SHOUTED_WORD = re.compile(r"\b[A-ZÀ-ÖØ-Þ]{2,}\b")
_SHOUTED_ELISION = re.compile(r"\b([A-ZÀ-ÖØ-Þ])'(?=[A-ZÀ-ÖØ-Þ]{2,})")


def _unshout(text: str) -> str:
    """Words typed in capitals (shouting) back to lower case; acronyms and case references are kept."""
    text = _SHOUTED_ELISION.sub(lambda m: m.group(1).lower() + "'", text)
    return _SHOUTED_WORD.sub(
        lambda m: m.group(0) if m.group(0) in ACRONYMS or m.group(0) == "REC" else m.group(0).lower(), text
    )


_MARKUP_BLOCK = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_MARKUP_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def strip_markup(text: str) -> str:
    """The words of a message without HTML tags or scripts (pasted or hostile markup is never reflected)."""
    return _MARKUP_TAG.sub(" ", _MARKUP_BLOCK.sub(" ", text))


def normalize(text: str) -> str:
    """Regular spelling and register, same meaning; politeness formulas and greetings removed."""
    text = strip_markup(text)
    letters = [c for c in text if c.isalpha()]
    if len(letters) > 8 and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        text = text.lower()  # a message typed in capitals is shouting, not a series of acronyms
    else:
        text = _unshout(text)
    text = _APOSTROPHE.sub("'", text)
    text = _EMOJI.sub(" ", text)
    text = _SMILEY.sub(" ", text)
    text = text.replace("…", "...")
    text = _PUNCTUATION_RUNS.sub(r"\1", text)
    text = re.sub(r"\best[ -]ce\b", "est-ce", text, flags=re.IGNORECASE)
    text = _INVERTED_JE.sub(_inverted_je, text)
    text = _INVERTED_VOUS.sub(_inverted_vous, text)
    text = _INVERTED_THIRD.sub(lambda m: f"{m.group(2)} {m.group(1).lower()}", text)
    # "c est" is "c'est", not "c'est est"; "c etait" is "c'était"
    text = re.sub(
        r"\b([cC])\s+(est|était|etait)\b", lambda m: m.group(1) + ("'est" if m.group(2) == "est" else "'était"), text
    )
    text = re.sub(r"\b([jJ])\s+(?=[aeiouyéèêàâîôh])", r"\1'", text)  # "j ai perdu" is "j'ai perdu"
    text = _replace_words(text, SMS_WORDS)
    text = _ELIDED_SUBJECT.sub(lambda m: _expand_subject(m, elided=True), text)
    text = _BARE_SUBJECT.sub(lambda m: _expand_subject(m, elided=False), text)
    text = re.sub(r"\b([jJ])e ([aeiouéèêâîôy])", r"\1'\2", text)
    text = _MONEY_SLANG.sub(lambda m: _money(m.group(1)), text)
    text = _mass_nouns(text)
    text = _replace_words(text, FAMILIAR_WORDS)
    text = _ELIDED_ARTICLE.sub(r"\1'", text)
    text = re.sub(r"\b([cC])('est|'était) pas\b", lambda m: f"{m.group(1)}e n{m.group(2)} pas", text)
    text = _MA_PARTICIPLE.sub(_ma_participle, text)
    text = _INTENSIFIER.sub(r"\1", text)
    text = _familiar_infinitives(text)
    text = re.sub(r"\b(\d+)\s*balles\b", r"\1 euros", text, flags=re.IGNORECASE)
    text = _restore_accents(text)
    text = _PREPOSITION_A.sub(_preposition_a, text)
    text = _elide(text)
    text = _POLITENESS.sub(" ", text)
    text = re.sub(r",?\s*vous (savez|voyez)\s*(?=[.!?]|$)", "", text, flags=re.IGNORECASE)  # discourse markers
    text = _GREETING.sub("", text)
    text = re.sub(r"\s+([,.])", r"\1", text)
    text = re.sub(r"\s{2,}", " ", text)
    return text.strip(" ,")
