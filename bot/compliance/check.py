"""Compliance of what a debtor reads: no threat, no fee, no shaming, no legal-sounding label for an amicable step.

How a text is judged, sentence by sentence:

1. every forbidden term (the rules below) found in the sentence is a finding, unless it is *allowed*;
2. a mention is allowed when it is negated in its own clause ("aucuns frais", "vous n'irez pas en prison",
   "les frais de recouvrement ne sont pas à votre charge") or when the sentence frames it as information the
   product needs ("seul un juge peut décider d'une saisie", "la procédure de surendettement de la Banque de
   France", "à la charge du créancier"); each rule lists the frames it accepts — shaming and prison accept none;
3. no allowance holds in a sentence that carries a threat marker: a condition on non-payment ("si vous ne
   payez pas", "faute de", "à défaut", "sinon", "sous peine de") or, for the coercive rules, an announced
   action or urgency ("nous allons engager", "demain", "sans délai", "vous n'échapperez pas", "ne tardera pas").

The check is deliberately strict: a false alarm costs a rewording, a missed threat costs a debtor.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from pydantic import BaseModel

from bot.cases.schemas import CaseView

FLAGS = re.IGNORECASE | re.UNICODE


class Category(str, enum.Enum):
    MENACE_JUDICIAIRE = "menace_judiciaire"
    MENACE_HUISSIER = "menace_huissier"
    MENACE_FICHAGE = "menace_fichage"
    FRAIS = "frais_de_recouvrement"
    HUMILIATION = "humiliation"
    LIBELLE_JURIDIQUE = "libelle_juridique"

    @property
    def label(self) -> str:
        return {
            Category.MENACE_JUDICIAIRE: "menace de prison, de saisie ou de poursuites",
            Category.MENACE_HUISSIER: "huissier ou commissaire de justice présenté comme une menace",
            Category.MENACE_FICHAGE: "fichage présenté comme une menace",
            Category.FRAIS: "frais de recouvrement, pénalités ou majorations",
            Category.HUMILIATION: "propos humiliant ou jugement",
            Category.LIBELLE_JURIDIQUE: "libellé d'allure juridique pour une démarche amiable",
        }[self]


# Informative frames: the sentence explains the law or a help, it does not announce a sanction.
JUDGE_FRAME = re.compile(
    r"\bseule?s?\s+(?:un|une|le|la)\s+(?:juge|tribunal|décision)"
    r"|\bdécision\s+(?:de\s+justice|d['’]un\s+juge|du\s+juge|judiciaire)"
    r"|\btitre\s+exécutoire\b|\bsur\s+décision\b",
    FLAGS,
)
COURT_FRAME = re.compile(r"\b(?:le|un|au|du)\s+juge\b|\btribunal\b|\bprocédure\s+judiciaire\b", FLAGS)
OVERINDEBTEDNESS_FRAME = re.compile(r"\bsurendettement\b", FLAGS)
# "La peur vous a saisie", "j'ai été saisi par le montant": the verb of an emotion, not a seizure.
SEIZED_BY_FEELING = re.compile(
    r"\b(?:a|ai|as|avez|avons|avait|avaient|ont|été|suis|es|est|êtes|sommes|sont)\s+saisi(?:e|s|es)?\b"
    r"(?!\s+(?:sur|vos|votre|les|des)\b)",
    FLAGS,
)
# The agent reflects what the debtor feels ("vous avez le sentiment d'être traité comme un mauvais payeur"):
# the judgement is the debtor's own fear, named to be heard, not the agent's.
FELT_JUDGEMENT = re.compile(
    r"\b(?:sentiment|impression|peur|crainte)\s+(?:d['’]être|qu['’]on|que\s+l['’]on|qu['’]ils?|que\s+vous\s+passiez)\b"
    r"|\bvous\s+(?:vous\s+)?(?:sentez|sentiez|êtes\s+senti(?:e|s|es)?)\b|\bcomme\s+si\s+vous\s+étiez\b"
    r"|\bvous\s+(?:dites\s+que\s+vous\s+)?(?:avez|aviez|ressentez)\s+(?:eu\s+)?(?:honte|de\s+la\s+honte)\b",
    FLAGS,
)
# The agent names the debtor's own fear ("vous avez peur que l'huissier vienne", "votre crainte d'être fiché"):
# a reflection, not an announcement — unless the sentence also threatens (conditions and coercion void it).
FELT_FEAR = re.compile(
    r"(?<!raison d'avoir )(?<!raison d’avoir )"
    r"\b(?:vous\s+(?:avez\s+)?(?:peur|craignez|redoutez|appréhendez|imaginez)"
    r"|vous\s+(?:êtes|étiez)\s+(?:inquiet|inquiète|angoissée?|terrifiée?)s?"
    r"|votre\s+(?:peur|crainte|inquiétude|angoisse)|vous\s+dites\s+que)\b",
    FLAGS,
)
FEE_FRAME = re.compile(r"à\s+la\s+charge\s+(?:exclusive\s+)?du\s+créancier|\bL\.?\s?111-8\b", FLAGS)

# Threat markers: they void every allowance in the sentence.
CONDITIONAL_THREAT = re.compile(
    r"(?<!même\s)\bsi\s+vous\s+(?:ne\b|n['’]|refusez|continuez|persistez)"
    r"|\bfaute\s+de\b|\bà\s+défaut\b|\bsinon\b|\bsous\s+peine\b",
    FLAGS,
)
COERCION = re.compile(
    r"\bnous\s+allons\s+(?:engager|saisir|transmettre|envoyer|lancer|procéder|faire\s+appel|mandater)"
    r"|\bnous\s+(?:engagerons|saisirons|transmettrons|enverrons|lancerons|procéderons|mandaterons)\b"
    r"|\b(?:serons|sommes)\s+contraints?\b|\bdemain\b|\bimmédiatement\b|\bsans\s+délai\b"
    r"|\bsous\s+\d+\s*(?:jours?|heures?|h)\b|\béchapp\w*|\bévit\w*|\btard\w*|\battendez\b"
    r"|\bquestion\s+de\s+(?:jours|temps|semaines)\b|\bbientôt\b|\bprochainement\b|\bdernière\s+chance\b",
    FLAGS,
)

# Negation of the mention itself, in its clause: a cue up to three words before, or "ne … pas/que" just after.
PRE_NEGATION = re.compile(
    r"(?:^|[\s'’])(?P<cue>aucune?s?|sans|jamais|ni|nulle?s?|pas|personne|rien)(?P<gap>(?:\s+[\w'’-]+){0,3}?)\s*$",
    FLAGS,
)
NOT_NEGATED_AFTER_PAS = {
    "la", "le", "les", "l'", "l’", "votre", "vos", "ma", "mon", "mes", "ta", "ton", "tes", "sa", "son", "ses",
    "leur", "leurs", "cette", "ce", "cet", "ces", "que", "qu'", "qu’",
}  # fmt: skip
COORDINATION = {"et", "ou", "mais", "puis", "donc", "car", "alors"}
POST_NEGATION = re.compile(
    r"^(?:\s+[\w'’-]+){0,3}?\s+(?:ne\s+|n['’])[\w-]+(?:\s+[\w-]+){0,2}?\s+(?:pas|jamais|plus|aucune?s?|que|qu['’])",
    FLAGS,
)
CLAUSE_BREAK = re.compile(r"[,;:()\[\]—–]")
SENTENCE = re.compile(r"[^.!?…\n]+[.!?…]*")


@dataclass(frozen=True)
class Rule:
    code: str
    category: Category
    pattern: re.Pattern[str]
    frames: tuple[re.Pattern[str], ...] = ()
    coercive: bool = True  # coercion markers void its allowances (conditional threats always do)


def _rule(code: str, category: Category, pattern: str, *frames: re.Pattern[str], coercive: bool = True) -> Rule:
    return Rule(code, category, re.compile(pattern, FLAGS), frames, coercive)


GOODS = (
    r"(?:biens|salaire|compte|comptes|meubles|véhicule|voiture|logement|maison|allocations|aides|prestations|revenus)"
)
RULES: tuple[Rule, ...] = (
    _rule("prison", Category.MENACE_JUDICIAIRE, r"\bprison\b|\bemprisonn\w*|\bincarcér\w*", FELT_FEAR),
    _rule(
        "saisie",
        Category.MENACE_JUDICIAIRE,
        r"\bsaisies?\b",
        JUDGE_FRAME,
        OVERINDEBTEDNESS_FRAME,
        SEIZED_BY_FEELING,
        FELT_FEAR,
    ),
    _rule(
        "saisir_biens",
        Category.MENACE_JUDICIAIRE,
        rf"\bsaisi\w*\s+(?:[\w'’]+\s+){{0,2}}{GOODS}\b|\b{GOODS}\s+(?:[\w'’]+\s+){{0,2}}saisi(?:e|s|es)?\b|\bsaisirons\b",
        JUDGE_FRAME,
        OVERINDEBTEDNESS_FRAME,
        FELT_FEAR,
    ),
    _rule(
        "poursuites",
        Category.MENACE_JUDICIAIRE,
        r"\bpoursuites\b|\bpoursuites?\s+judiciaires?\b|\bvous\s+poursuivre\b|\bpoursuivi(?:e|s|es)?\s+en\s+justice\b"
        r"|\bpoursuivr\w*\s+en\s+justice\b",
        JUDGE_FRAME,
        OVERINDEBTEDNESS_FRAME,
        FELT_FEAR,
    ),
    _rule(
        "huissier",
        Category.MENACE_HUISSIER,
        r"\bhuissiers?\b|\bcommissaires?\s+de\s+justice\b",
        JUDGE_FRAME,
        OVERINDEBTEDNESS_FRAME,
        FELT_FEAR,
    ),
    _rule(
        "fichage",
        Category.MENACE_FICHAGE,
        r"\bfichage\b|\bfiché(?:e|s|es)?\b|\bficher\b|\bficherons\b|\bfichera\b|\bFICP\b"
        r"|\bfiche(?:e|s|es)?\s+(?:à|a|au)\s+(?:la\s+)?(?:banque|FICP)",
        OVERINDEBTEDNESS_FRAME,
        FELT_FEAR,
    ),
    _rule(
        "frais",
        Category.FRAIS,
        r"\bfrais\s+(?:de\s+)?(?:recouvrement|relance|dossier|gestion|procédure|contentieux|poursuite)\b"
        r"|\bfrais\s+supplémentaires\b|\bpénalités?\b|\bmajorations?\b|\bmajoré(?:e|s|es)?\b"
        r"|\bindemnités?\s+(?:forfaitaires?|de\s+recouvrement)\b|\bclause\s+pénale\b",
        FEE_FRAME,
        coercive=False,
    ),
    _rule(
        "humiliation",
        Category.HUMILIATION,
        r"\bhonte\b|\bhonteu(?:x|se|ses)\b|\bmauvais(?:e|es)?\s+payeu(?:r|rs|se|ses)\b|\birresponsables?\b"
        r"|\bmalhonnête(?:s|té)?\b|\bde\s+mauvaise\s+foi\b|\bfraudeu(?:r|rs|se|ses)\b|\bescroc\w*"
        r"|\bprofiteu(?:r|rs|se|ses)\b|\bparasites?\b|\bnégligent(?:e|s|es)?\b|\bindélicat\w*|\binadmissible\b"
        r"|\bmauvais\s+client\b|\bvous\s+vous\s+moquez\b",
        FELT_JUDGEMENT,
        coercive=False,
    ),
    _rule(
        "libelle_juridique",
        Category.LIBELLE_JURIDIQUE,
        r"\bmise\s+en\s+demeure\b|\bsommation\b|\binjonction\b|\bcommandement\s+de\s+payer\b|\bassignation\b"
        r"|\bcontentieu(?:x|se)\b|\bprécontentieu\w*|\bpré-contentieu\w*|\brecouvrement\s+(?:forcé|judiciaire)\b",
        JUDGE_FRAME,
        COURT_FRAME,
        OVERINDEBTEDNESS_FRAME,
    ),
    _rule(
        "ultimatum",
        Category.LIBELLE_JURIDIQUE,
        r"\bdernier\s+avertissement\b|\bdernier\s+(?:avis|rappel)\s+avant\b|\bdernière\s+(?:relance|chance)\b"
        r"|\bultimatum\b|\bprocédure\s+(?:judiciaire\s+)?(?:imminente|engagée\s+contre\s+vous)\b"
        r"|\bavis\s+de\s+(?:passage|saisie)\b",
    ),
)


class Finding(BaseModel):
    rule: str
    category: Category
    match: str
    sentence: str
    where: str | None = None

    @property
    def message(self) -> str:
        place = f"{self.where} : " if self.where else ""
        return f"{place}{self.category.label} — « {self.match} » dans « {self.sentence} »"


def _normalise(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ").replace("’", "'")


def _clause_before(sentence: str, start: int) -> str:
    before = sentence[:start]
    breaks = list(CLAUSE_BREAK.finditer(before))
    return before[breaks[-1].end() :] if breaks else before


def _clause_after(sentence: str, end: int) -> str:
    after = sentence[end:]
    found = CLAUSE_BREAK.search(after)
    return after[: found.start()] if found else after


def is_negated(sentence: str, start: int, end: int) -> bool:
    """Whether the mention at [start, end) is negated within its own clause."""
    before = PRE_NEGATION.search(_clause_before(sentence, start))
    if before:
        gap = [word.lower() for word in before.group("gap").split()]
        coordinated = any(word in COORDINATION for word in gap)  # "aucune remise et des frais": not about the fees
        after_pas = before.group("cue").lower() == "pas" and bool(gap) and gap[0] in NOT_NEGATED_AFTER_PAS
        if not coordinated and not after_pas:
            return True
    return bool(POST_NEGATION.match(_clause_after(sentence, end)))


def _threatens(rule: Rule, sentence: str) -> bool:
    return bool(CONDITIONAL_THREAT.search(sentence) or (rule.coercive and COERCION.search(sentence)))


def _allowed(rule: Rule, sentence: str, found: re.Match[str], following: str = "") -> bool:
    """Whether a mention is allowed: negated, or framed (information, the debtor's own fear) — a frame holds only
    when neither the sentence nor the next one threatens ("Vous avez peur de l'huissier ? Il viendra demain.")."""
    if _threatens(rule, sentence):
        return False
    if is_negated(sentence, found.start(), found.end()):
        return True
    return any(frame.search(sentence) for frame in rule.frames) and not _threatens(rule, following)


def sentences(text: str) -> Iterator[str]:
    for found in SENTENCE.finditer(_normalise(text)):
        sentence = found.group().strip()
        if sentence:
            yield sentence


def check_text(text: str, where: str | None = None) -> list[Finding]:
    """Every forbidden mention in a text a debtor would read (empty list: compliant)."""
    findings: list[Finding] = []
    said = list(sentences(text))
    for index, sentence in enumerate(said):
        following = said[index + 1] if index + 1 < len(said) else ""
        for rule in RULES:
            for found in rule.pattern.finditer(sentence):
                if not _allowed(rule, sentence, found, following):
                    findings.append(
                        Finding(
                            rule=rule.code, category=rule.category, match=found.group(), sentence=sentence, where=where
                        )
                    )
    return findings


def check_texts(texts: Iterable[tuple[str, str]]) -> list[Finding]:
    """Findings over (where, text) pairs, e.g. every text an action generates."""
    return [finding for where, text in texts for finding in check_text(text, where)]


# ---------------------------------------------------------------- first contact


class Mention(str, enum.Enum):
    CREANCIER = "creancier"
    DETAIL_MONTANT = "detail_montant"
    REFERENCE = "reference"

    @property
    def label(self) -> str:
        return {
            Mention.CREANCIER: "nom du créancier",
            Mention.DETAIL_MONTANT: "détail du montant (principal, intérêts, frais accessoires, déjà réglé, reste dû)",
            Mention.REFERENCE: "référence du dossier",
        }[self]


AMOUNT = re.compile(r"(?<![\d,.])(\d{1,3}(?:[ .]\d{3})+|\d+)(?:[,.](\d{1,2}))?\s*(?:€|euros?\b|EUR\b)", FLAGS)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", _normalise(text))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def amounts_in(text: str) -> set[Decimal]:
    """Every euro amount written in the text ("1 234,56 €", "184.70 euros", "30 €")."""
    found: set[Decimal] = set()
    for match in AMOUNT.finditer(_normalise(text)):
        units = match.group(1).replace(" ", "").replace(".", "")
        cents = (match.group(2) or "0").ljust(2, "0")
        try:
            found.add(Decimal(f"{units}.{cents}"))
        except InvalidOperation:
            continue
    return found


def first_contact_mentions(text: str, case: CaseView) -> list[Mention]:
    """The mentions a first contact must carry that the text lacks (empty list: complete).

    The amount breakdown means the amount still due and the principal, plus the interest, the accessory costs
    and what was already paid whenever they are not zero.
    """
    missing: list[Mention] = []
    if _plain(case.creditor_name) not in _plain(text):
        missing.append(Mention.CREANCIER)
    written = amounts_in(text)
    parts = [case.amount_due, case.principal] + [
        value for value in (case.interest, case.accessories, case.amount_paid) if value > 0
    ]
    if any(part not in written for part in parts):
        missing.append(Mention.DETAIL_MONTANT)
    if case.reference.upper() not in _normalise(text).upper():
        missing.append(Mention.REFERENCE)
    return missing


# ---------------------------------------------------------------- domain


def _response_texts(name: str, variations: list[object]) -> Iterator[tuple[str, str]]:
    for index, variation in enumerate(variations or []):
        if not isinstance(variation, dict):
            continue
        where = f"{name}[{index}]"
        if isinstance(variation.get("text"), str):
            yield f"{where}.text", variation["text"]
        for button_index, button in enumerate(variation.get("buttons") or []):
            if isinstance(button, dict) and isinstance(button.get("title"), str):
                yield f"{where}.buttons[{button_index}].title", button["title"]
        for reply_index, reply in enumerate(variation.get("quick_replies") or []):
            if isinstance(reply, dict) and isinstance(reply.get("title"), str):
                yield f"{where}.quick_replies[{reply_index}].title", reply["title"]
        if isinstance(variation.get("custom"), dict):
            yield from _strings(f"{where}.custom", variation["custom"])


def _strings(where: str, value: object) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(f"{where}.{key}", item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(f"{where}[{index}]", item)


def domain_texts(path: str | Path = "domain.yml") -> list[tuple[str, str]]:
    """(where, text) for every response variation of a domain file, or of every YAML file of a domain folder."""
    path = Path(path)
    files = sorted([*path.rglob("*.yml"), *path.rglob("*.yaml")]) if path.is_dir() else [path]
    texts: list[tuple[str, str]] = []
    for file in files:
        content = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        responses = content.get("responses") or {} if isinstance(content, dict) else {}
        for name, variations in responses.items():
            prefix = f"{file.name}:{name}" if path.is_dir() else name
            texts.extend(_response_texts(prefix, variations))
    return texts


def check_domain(path: str | Path = "domain.yml") -> list[Finding]:
    """Findings over every response template of the domain (all variations, texts and buttons)."""
    return check_texts(domain_texts(path))
