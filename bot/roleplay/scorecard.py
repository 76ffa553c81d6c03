"""The scorecard of a role-play: MITI 4.2.1 counts and ratios, pressure incidents, information, outcome, a score.

`score_transcript(transcript, classifier, scenario=None, outcome=None) -> Scorecard`.

The global score (1 to 5) follows tests/data/roleplay/RUBRIC.md, in this order:

1. caps (§ 4): a clear threat (court, bailiff, seizure, credit file, relatives) → 1; any other pressure, shaming,
   false information, a proposal more than `CAPACITY_TOLERANCE` above the capacity the debtor stated, or a plan
   pushed on a bereaved debtor → at most 2;
2. otherwise a polite exchange without pressure starts at `BASE` (the rubric's "3 — moyen" rounds to it) and four
   criteria, each from 0 to 1 and of equal weight, bring it up to 5:
   - listening: reflections (two or more), at least one complex reflection, reflections per question (MITI: 1);
   - questions: share of open questions (MITI / rubric: the majority);
   - empathy: empathy or affirmations (two or more), minus persuasion or confrontation;
   - outcome: an adapted outcome (an agreement within capacity, a kind hand-over for a bereaved debtor, an
     official way to check for a suspicious one), recapped and checked as bearable; a standard proposal before
     the capacity is known, or a fragile "yes", count against it.

No weight depends on a transcript: the figures are the rubric's (or MITI's) and equal weights.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from bot.compliance.check import Category, amounts_in, check_text
from bot.nlu.entities import extract_entities
from bot.nlu.entities.numbers import words_to_int
from bot.roleplay.coding import (
    PERSUASION,
    PRESSION,
    PROPOSITION,
    Classifier,
    CodedTurn,
    Measures,
    code_turns,
    is_question,
    measures,
    plain,
)
from bot.roleplay.cues import proposal_in
from bot.roleplay.scenario import Scenario
from bot.roleplay.transcript import Transcript
from bot.text.french import format_euros

BASE = 2.5
SPAN = 2.5  # BASE + SPAN = 5
CRITERIA = ("ecoute", "questions", "empathie", "issue")
CRITERIA_LABELS = {"ecoute": "écoute", "questions": "questions", "empathie": "empathie", "issue": "issue"}
CAP_PRESSURE, CAP_THREAT = 2.0, 1.0
CAPACITY_TOLERANCE = Decimal("0.10")  # a plan 10 % above what the debtor said they could pay is above it
GOOD_REFLECTIONS, GOOD_EMPATHY = 2, 2

# ---------------------------------------------------------------------- lexicons (accents removed, lower case)

CAPACITY_QUESTION = re.compile(
    r"combien.{0,40}(?:par mois|chaque mois|mettre|consacrer|verser|rembourser)|realiste|consacrer|supportable"
    r"|(?:pourriez|pouvez)[- ]vous (?:mettre|payer|verser|consacrer).{0,20}(?:combien|par mois)"
)
CAPACITY_CUE = re.compile(
    r"\bje (?:peux|pourrais|pourrai|vais pouvoir) (?:mettre|donner|payer|verser|regler|rembourser)|par mois"
    r"|chaque mois|maximum|\bmax\b|ca passe|\bil (?:me )?reste\b|a peu pres"
)
NOT_CAPACITY = re.compile(
    r"touch|retraite|salaire|chomage|allocation|pension|revenu|loyer|charges|credit|gagn|impaye|facture|courrier"
    r"|frais|sms|dette|je (?:vous )?dois|decouvert|invalidite|economies"
)
REFUSAL = re.compile(
    r"^\W*non\b|impossible|pas possible|je (?:ne )?(?:peux|pourrai|pourrais) pas|je (?:les )?ai pas|je n'ai pas"
    r"|\btrop\b|certainement pas|je refuse|hors de question|je ne paierai"
)
ACCEPTANCE = re.compile(
    r"^\W*(?:oui|ok|d'accord|ouais|entendu|parfait|super|tres bien|bon\b)|ca me va|ca (?:me )?convient|ca passe"
    r"|ca devrait aller|ca marche|mettez|je signerai|je prefere|va pour|c'est bon|je vais essayer"
    r"|^\W*(?:les \w+ fois|en une fois)|je le fais|ce serait bien|volontiers"
)
FRAGILE = re.compile(r"essayer|je verrai|on verra|j'espere|je ne sais pas si|si j'y arrive")
LUMP_DECLARED = re.compile(
    r"\bje (?:peux|pourrais|vais|prefere|veux) (?:\w+ ){0,2}?(?:tout (?:payer|regler)|(?:payer|regler) tout"
    r"|(?:payer |regler )?(?:en une (?:seule )?fois|d'un coup|la totalite))|^\W*en une (?:seule )?fois"
)
PAID = re.compile(r"c'est fait|j'ai (?:paye|regle)|paiement (?:est )?(?:fait|effectue|passe)")
PLAN_WORDS = re.compile(r"mensualit|par mois|chaque mois|\bfois\b|versement|echeanc|en une fois|totalite|remise")
PROPOSAL_VERBS = re.compile(r"propos|je peux vous (?:laisser|accorder|faire)|on peut|on met|nous pouvons|faudrait")
ALTERNATIVE = re.compile(
    r",?\s+ou\s+(?=(?:[\w'’]+\s+){0,2}(?:mensualit|fois|versements?|prélèvements?|échéances?))", re.I
)
LUMP_ASKED = re.compile(r"en une (?:seule )?fois|la totalite|l'integralite")
HANDOVER = re.compile(
    r"conseill\w* (?:dedie|specialis)|equipe dediee|personne dediee|un(?:e)? collegue|vous (?:faire )?rappeler"
    r"|vous recontacter|suspendre les relances|plus de relance|en pause|transmettre votre dossier"
)
BEREAVEMENT = re.compile(
    r"\bdecede|\bmorte?\b|\bdeuil\b|enterr|\bveu(?:f|ve)\b|n'est plus la|obseques|nous a quitte"
    r"|perdu (?:mon|ma) (?:mari|femme|epou|compagn|fils|fille|enfant|pere|mere)"
)
SUSPICION = re.compile(
    r"arnaque|escroc|crois pas|mefi|faux conseiller|inconnu|vous connais pas|qui me dit|pas confiance|verifier"
)
OFFICIAL_CHANNEL = re.compile(
    r"numero (?:imprime|indique|officiel|du service|au dos)|espace client|site (?:officiel|de votre mairie)"
    r"|service client|renvoie la facture|par courrier"
)
CONTESTED = re.compile(r"frais|contest|je ne (?:vous )?dois pas|pas a payer|rendue?\b|erreur|jamais vus?")
CONTEST_RECORDED = re.compile(
    r"(?:ouvrir|ouvre|enregistr\w*|transmet\w*) (?:une |la |votre )?(?:contestation|reclamation)"
    r"|contestation (?:ouverte|enregistree)"
)
RECAP = re.compile(r"recapitul|je resume|pour resumer|c'est (?:note|enregistre)\s*(?::|pour)|^donc .*\d")
CHECK = re.compile(
    r"marge|imprevu|tenable|confortable|trop juste|serre|difficile|prevenez|prevenir|recontact|ajuster|ajustera"
    r"|en cas de (?:difficulte|probleme)|si un mois"
)
FALSE_CLAIMS = (
    (re.compile(r"pas besoin (?:d'un |de )?(?:jugement|juge)"), "saisie sans jugement : seul un juge peut l'autoriser"),
    (re.compile(r"fichier des mauvais payeurs"), "« fichier des mauvais payeurs » : aucun fichage pour une facture"),
    (re.compile(r"ne pourr\w+ plus (?:ouvrir|avoir|prendre)"), "interdiction bancaire inventée"),
)
FEE_WORDS = re.compile(r"frais|penalit|majoration|indemnit")
MAX_MONTHS_CLAIM = re.compile(
    r"(?:ne depass\w* pas|au maximum|au plus|pas plus de|maximum)\s+(?P<n>\d+|[a-z-]+)\s+mois"
)


@dataclass(frozen=True)
class Incident:
    """A pressure (or persuasion) quoted: the sentence, its turn and why it counts."""

    turn: int
    text: str
    reason: str
    threat: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"turn": self.turn, "text": self.text, "reason": self.reason, "threat": self.threat}


@dataclass(frozen=True)
class Plan:
    """A payment put forward by the agent (`amount_known` False: "en une fois ?" without an amount)."""

    turn: int
    monthly: Decimal
    months: int
    lump_sum: bool
    text: str
    amount_known: bool = True

    def describe(self) -> str:
        if not self.amount_known:
            return "paiement en une fois"
        if self.lump_sum:
            return f"paiement en une fois de {format_euros(self.monthly)}"
        return f"{format_euros(self.monthly)} par mois sur {self.months} mois"

    def as_dict(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "monthly": float(self.monthly) if self.amount_known else None,
            "months": self.months,
            "lump_sum": self.lump_sum,
            "text": self.text,
        }


@dataclass(frozen=True)
class Capacity:
    """What the debtor can pay each month (`lump_sum`: they said they can pay it all at once)."""

    monthly: Decimal | None
    lump_sum: bool
    source: str  # "scénario" | "déclarée"
    turn: int | None = None

    def fits(self, plan: Plan) -> bool:
        """Whether the plan is within this capacity (a one-off payment is compared as a whole to the monthly)."""
        if self.monthly is None:
            return self.lump_sum
        tolerance = Decimal("1") + (CAPACITY_TOLERANCE if self.source == "déclarée" else Decimal("0"))
        return plan.monthly <= self.monthly * tolerance

    def describe(self) -> str:
        """ "la capacité déclarée (50,00 € par mois)", to follow "dans" or "au-dessus de"."""
        if self.monthly is None:
            return "ce que le débiteur a dit pouvoir payer (tout, en une fois)"
        where = "la capacité réelle du scénario" if self.source == "scénario" else "la capacité déclarée"
        return f"{where} ({format_euros(self.monthly)} par mois)"


@dataclass(frozen=True)
class Outcome:
    kind: str  # agreement | handover | verification | contestation | paid | refused | hung_up | none
    plan: Plan | None = None
    capacity: Capacity | None = None
    fits: bool | None = None
    fragile: bool = False
    recap: bool = False
    checked: bool = False
    premature: Plan | None = None
    above_capacity: tuple[Plan, ...] = ()
    vulnerable: bool = False
    pushed_after_vulnerability: bool = False
    suspicious: bool = False
    official_channel: bool = False
    contestation: bool = False

    @property
    def adapted(self) -> bool:
        if self.kind in ("agreement", "paid"):
            return bool(self.fits) and not self.pushed_after_vulnerability
        if self.kind == "handover":
            return self.vulnerable
        return self.kind in ("verification", "contestation")

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.kind]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "adapted": self.adapted,
            "plan": self.plan.as_dict() if self.plan else None,
            "capacity": None
            if self.capacity is None
            else {
                "monthly": None if self.capacity.monthly is None else float(self.capacity.monthly),
                "lump_sum": self.capacity.lump_sum,
                "source": self.capacity.source,
            },
            "fits_capacity": self.fits,
            "fragile": self.fragile,
            "recap": self.recap,
            "checked": self.checked,
            "premature_proposal": self.premature.as_dict() if self.premature else None,
            "above_capacity": [plan.as_dict() for plan in self.above_capacity],
            "vulnerable": self.vulnerable,
            "pushed_after_vulnerability": self.pushed_after_vulnerability,
            "official_channel": self.official_channel,
            "contestation": self.contestation,
        }


OUTCOME_LABELS = {
    "agreement": "accord de paiement",
    "paid": "paiement effectué",
    "handover": "passage de relais à une personne",
    "verification": "vérification par un canal officiel",
    "contestation": "contestation enregistrée",
    "refused": "proposition refusée",
    "hung_up": "le débiteur a raccroché",
    "none": "aucune issue",
}


@dataclass(frozen=True)
class Information:
    correct: bool
    problems: tuple[str, ...]
    against: str  # "du dossier du scénario" | "des règles générales"

    def as_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "problems": list(self.problems), "checked_against": self.against}


@dataclass(frozen=True)
class Scorecard:
    id: str
    turns: tuple[CodedTurn, ...]
    measures: Measures
    pressure: tuple[Incident, ...]
    persuasion: tuple[Incident, ...]
    information: Information
    outcome: Outcome
    criteria: dict[str, float]
    raw_score: float
    cap: float | None
    score: float
    reasons: tuple[str, ...]
    scenario: str | None = None
    caps: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "score": self.score,
            "raw_score": round(self.raw_score, 3),
            "cap": self.cap,
            "caps": list(self.caps),
            "reasons": list(self.reasons),
            "scenario": self.scenario,
            "criteria": {name: round(value, 3) for name, value in self.criteria.items()},
            "miti": self.measures.as_dict(),
            "pressure_incidents": [incident.as_dict() for incident in self.pressure],
            "persuasion": [incident.as_dict() for incident in self.persuasion],
            "information": self.information.as_dict(),
            "outcome": self.outcome.as_dict(),
            "turns": [turn.as_dict() for turn in self.turns],
        }


# ---------------------------------------------------------------------- capacity and proposals


def _amounts(text: str) -> list[Decimal]:
    return [Decimal(e.value) for e in extract_entities(text, date.today()) if e.entity == "montant"]


def _bare_number(text: str) -> Decimal | None:
    """ "50 peut-être", "40 ?": a leading number without unit, the answer to "combien par mois ?"."""
    found = re.match(r"^\W*(\d+(?:[.,]\d{1,2})?)\b(?!\s*(?:ans?|h\b|heures|jours|mois|fois|%))", text)
    return Decimal(found.group(1).replace(",", ".")) if found else None


def declared_capacity(text: str, asked: bool) -> Capacity | None:
    """What a debtor's turn says they can pay (`asked`: the agent's last turn asked how much per month)."""
    said = plain(text)
    if LUMP_DECLARED.search(said) and not REFUSAL.search(said):
        return Capacity(None, True, "déclarée")
    values: list[Decimal] = []
    for sentence in re.split(r"(?<=[.!?…])\s+", text):
        words = plain(sentence)
        if REFUSAL.search(words) or NOT_CAPACITY.search(words):
            continue
        if asked or CAPACITY_CUE.search(words):
            values += _amounts(sentence)
    if not values and asked:
        bare = _bare_number(text)
        values = [bare] if bare is not None else []
    values = [value for value in values if value > 0]
    return Capacity(max(values), False, "déclarée") if values else None


def _amount_due(transcript: Transcript, scenario: Scenario | None) -> Decimal:
    if scenario is not None:
        return scenario.case.amount_due
    stated = [amount for turn in transcript.turns if turn.speaker == "agent" for amount in amounts_in(turn.text)]
    return max(stated, default=Decimal("0"))


def plans_in(sentence: str, code: str, turn: int, amount_due: Decimal) -> list[Plan]:
    """The payment options a sentence of the agent puts forward (two options joined by "ou" are two plans)."""
    words = plain(sentence)
    if not PLAN_WORDS.search(words) or not (
        code == PROPOSITION or is_question(sentence) or PROPOSAL_VERBS.search(words)
    ):
        return []
    plans: list[Plan] = []
    for segment in ALTERNATIVE.split(sentence):
        proposal = proposal_in(segment, amount_due) if amount_due > 0 else None
        if proposal is not None and proposal.explicit:
            plans.append(Plan(turn, proposal.monthly, proposal.months, proposal.lump_sum, sentence))
        elif proposal is None and LUMP_ASKED.search(plain(segment)) and is_question(sentence):
            plans.append(Plan(turn, amount_due, 1, True, sentence, amount_known=False))
    return plans


def _chosen(plans: Sequence[Plan], reply: str) -> Plan:
    """The option a debtor's "yes" picks: by amount, by number of payments, "en une fois", else the last one."""
    said = plain(reply)
    amounts = set(_amounts(reply)) | {Decimal(m.replace(",", ".")) for m in re.findall(r"\d+,\d{2}", reply)}
    counts = {value for word in re.findall(r"\b([a-z]+|\d+) fois\b", said) if (value := _count(word)) is not None}
    for plan in plans:
        if plan.amount_known and plan.monthly in amounts:
            return plan
    for plan in plans:
        if plan.months in counts or (plan.lump_sum and "une fois" in said):
            return plan
    return plans[-1]  # no choice named: the agent's last word


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else words_to_int(word)


def _agent_sentences(turns: Sequence[CodedTurn]) -> list[tuple[int, str, str]]:
    return [(turn.index, u.text, u.code) for turn in turns if turn.speaker == "agent" for u in turn.utterances]


@dataclass
class _Reading:
    """The conversation read turn by turn: what was proposed, what the debtor said they could pay and accepted."""

    amount_due: Decimal
    vulnerable_from: int | None
    capacity: Capacity | None = None
    asked: bool = False  # the agent's last turn asked how much the debtor could pay
    current: list[Plan] = field(default_factory=list)  # the options on the table
    last: list[Plan] = field(default_factory=list)  # the last options put forward, agreed or not
    agreement: Plan | None = None
    agreed_at: int | None = None
    fragile: bool = False
    paid_at: int | None = None
    premature: Plan | None = None
    above: list[Plan] = field(default_factory=list)
    pushed: bool = False
    handover_at: int | None = None
    handover_accepted: bool = False

    def agent(self, turn: CodedTurn) -> None:
        self.asked = bool(CAPACITY_QUESTION.search(plain(turn.text)))
        proposed = [plan for u in turn.utterances for plan in plans_in(u.text, u.code, turn.index, self.amount_due)]
        known = [plan for plan in proposed if plan.amount_known]
        settled = self.agreement is not None or self.paid_at is not None
        if known and self.capacity is None and self.premature is None and not settled:
            self.premature = known[0]
        if self.capacity is not None and self.capacity.monthly is not None:
            self.above += [plan for plan in known if not self.capacity.fits(plan)]
        if known and self.vulnerable_from is not None and turn.index > self.vulnerable_from:
            self.pushed = True
        if proposed:
            self.current = self.last = proposed
        if HANDOVER.search(plain(turn.text)):
            self.handover_at = turn.index

    def debtor(self, turn: CodedTurn) -> None:
        said = plain(turn.text)
        declared = declared_capacity(turn.text, self.asked)
        if declared is not None:
            self.capacity = declared
        opening = " ".join(re.split(r"(?<=[.!?…])\s+", said)[:2])  # "59 € par mois… oui, ça, je peux."
        accepts = not REFUSAL.search(opening) and bool(ACCEPTANCE.search(said) or re.search(r"\boui\b", opening))
        if accepts and self.current:
            self.agreement, self.agreed_at = _chosen(self.current, turn.text), turn.index
            self.fragile = bool(FRAGILE.search(said))
            self.current = []  # agreed: a later "yes" (to a date, a payment method) does not choose again
            if self.vulnerable_from is not None and self.agreement.turn > self.vulnerable_from:
                self.pushed = True
        elif accepts and self.handover_at is not None:
            self.handover_accepted = True
        if PAID.search(said) and self.paid_at is None:
            self.paid_at = turn.index

    def kind(self, given: str | None, contested: bool, official: bool) -> str:
        if given is not None:
            return given if given in ("agreement", "handover", "refused", "hung_up") else "none"
        for kind, happened in (
            ("agreement", self.agreement is not None),
            ("paid", self.paid_at is not None),
            ("handover", self.handover_accepted),
            ("contestation", contested),
            ("verification", official),
        ):
            if happened:
                return kind
        return "none"

    @property
    def settled_at(self) -> int:
        """Where the recap and the check are looked for: from the agreed proposal, the payment or the hand-over."""
        if self.agreement is not None:
            return self.agreement.turn
        return (self.paid_at if self.paid_at is not None else self.handover_at) or 0


def detect_outcome(
    turns: Sequence[CodedTurn], amount_due: Decimal, scenario: Scenario | None, given: str | None
) -> Outcome:
    """The outcome read in the transcript (`given`, from a session, replaces the kind of outcome)."""
    debtor_text = plain(" ".join(turn.text for turn in turns if turn.speaker == "debtor"))
    handover_scenario = scenario is not None and scenario.success.kind == "handover"
    bereaved = [turn.index for turn in turns if turn.speaker == "debtor" and BEREAVEMENT.search(plain(turn.text))]
    reading = _Reading(amount_due, 0 if handover_scenario else next(iter(bereaved), None))
    for turn in turns:
        reading.agent(turn) if turn.speaker == "agent" else reading.debtor(turn)
    agent = _agent_sentences(turns)
    suspicious = bool(SUSPICION.search(debtor_text))
    official = suspicious and any(OFFICIAL_CHANNEL.search(plain(text)) for _, text, _ in agent)
    contested = bool(CONTESTED.search(debtor_text)) and any(CONTEST_RECORDED.search(plain(t)) for _, t, _ in agent)
    kind = reading.kind(given, contested, official)
    settled = kind in ("agreement", "paid", "handover")
    plan = reading.agreement if kind in ("agreement", "paid") else None
    if kind == "agreement" and plan is None and reading.last:
        plan = reading.last[-1]  # a session says the debtor agreed: to the last proposal
    if kind == "paid" and plan is None:
        plan = Plan(reading.paid_at or 0, amount_due, 1, True, "", amount_known=amount_due > 0)
    start = plan.turn if plan is not None and plan.amount_known and plan.text else reading.settled_at
    later = [plain(text) for index, text, _ in agent if index >= start]
    hidden = None
    if scenario is not None and scenario.success.kind == "agreement":
        hidden = Capacity(scenario.hidden_facts.bearable_monthly_amount, False, "scénario")
    capacity = hidden or reading.capacity
    fits: bool | None = None
    if plan is not None and capacity is not None:
        fits = capacity.fits(plan)
    elif kind == "paid" or (kind == "agreement" and given == "agreement" and scenario is not None):
        fits = True  # paid what they chose to pay; a simulated debtor accepts only within its hidden capacity
    vulnerable = reading.vulnerable_from is not None
    return Outcome(
        kind=kind,
        plan=plan,
        capacity=capacity,
        fits=fits,
        fragile=reading.fragile and kind == "agreement",
        recap=settled and any(RECAP.search(text) for text in later),
        checked=settled and any(CHECK.search(text) for text in later),
        premature=reading.premature,
        above_capacity=tuple(reading.above),
        vulnerable=vulnerable,
        pushed_after_vulnerability=reading.pushed and vulnerable,
        suspicious=suspicious,
        official_channel=official,
        contestation=contested,
    )


# ---------------------------------------------------------------------- information


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else words_to_int(word.replace("-", " "))


def check_information(turns: Sequence[CodedTurn], scenario: Scenario | None) -> Information:
    """False or invented information: fees, legal claims, and (with a scenario) amounts and the creditor's rules."""
    problems: list[str] = []
    debtor_amounts = {a for turn in turns if turn.speaker == "debtor" for a in amounts_in(turn.text)}
    for index, text, code in _agent_sentences(turns):
        words = plain(text)
        for finding in check_text(text):
            if finding.category == Category.FRAIS:
                problems.append(f"frais inventés : « {finding.match} » dans « {text} »")
        for pattern, message in FALSE_CLAIMS:
            if pattern.search(words):
                problems.append(f"{message} (« {text} »)")
        if scenario is None:
            continue
        problems += _case_problems(text, words, code, index, scenario, debtor_amounts)
    return Information(
        not problems, tuple(dict.fromkeys(problems)), "du dossier du scénario" if scenario else "des règles générales"
    )


def _case_problems(
    text: str, words: str, code: str, turn: int, scenario: Scenario, debtor_amounts: set[Decimal]
) -> list[str]:
    case, policy = scenario.case, scenario.case.policy
    problems: list[str] = []
    stated = amounts_in(text)
    if FEE_WORDS.search(words) and not re.search(r"\baucun|\bpas de frais|\bsans frais", words):
        totals = {case.amount_due, case.amount_due - case.fees} | debtor_amounts
        invented = sorted(amount for amount in stated if amount > case.fees and amount not in totals)
        if invented:
            problems.append(
                f"frais annoncés ({format_euros(invented[-1])}) absents du dossier "
                f"(frais réels : {format_euros(case.fees)}) : « {text} »"
            )
    for amount in sorted(stated):
        if amount > case.amount_due and amount not in debtor_amounts:
            problems.append(
                f"montant annoncé ({format_euros(amount)}) supérieur au dû ({format_euros(case.amount_due)})"
            )
    for found in MAX_MONTHS_CLAIM.finditer(words):
        months = _number(found.group("n"))
        if months is not None and months < policy.max_months:
            problems.append(
                f"durée maximale annoncée ({months} mois) inférieure à celle du créancier ({policy.max_months} mois)"
            )
    for plan in plans_in(text, code, turn, case.amount_due):
        if not plan.amount_known:
            continue
        if not plan.lump_sum and plan.months > policy.max_months:
            problems.append(f"échéancier de {plan.months} mois, au-delà du maximum du créancier ({policy.max_months})")
        if not plan.lump_sum and plan.monthly < policy.min_instalment:
            problems.append(
                f"mensualité de {format_euros(plan.monthly)} sous le minimum du créancier "
                f"({format_euros(policy.min_instalment)})"
            )
        floor = case.amount_due * (Decimal("1") - policy.discount_rate) - Decimal("0.01")
        if plan.lump_sum and plan.monthly < floor:
            problems.append(f"remise au-delà du maximum autorisé ({policy.discount_rate * 100:.0f} %)")
    return problems


# ---------------------------------------------------------------------- score


def _ratio_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


def criteria_of(m: Measures, persuasion: int, outcome: Outcome) -> dict[str, float]:
    r_q = 1.0 if m.r_q is None and m.reflections else (m.r_q or 0.0)
    listening = 0.5 * min(m.reflections, GOOD_REFLECTIONS) / GOOD_REFLECTIONS
    listening += 0.25 * (m.counts["reflet_complexe"] >= 1) + 0.25 * min(1.0, r_q)
    open_share = m.open_share or 0.0
    questions = 0.0 if not m.questions else 1.0 if open_share >= 0.5 else 0.5 if open_share >= 0.25 else 0.0
    empathy = max(0.0, min(1.0, m.empathy / GOOD_EMPATHY) - (0.5 if persuasion else 0.0))
    result = 0.0
    if outcome.adapted:
        result = 0.25 if outcome.fragile else 0.5
        result += 0.25 * outcome.recap + 0.25 * outcome.checked
    if outcome.premature is not None:
        result -= 0.25
    return {"ecoute": listening, "questions": questions, "empathie": empathy, "issue": max(0.0, min(1.0, result))}


def _caps(pressure: Sequence[Incident], information: Information, outcome: Outcome) -> list[tuple[float, str]]:
    caps: list[tuple[float, str]] = []
    threats = [incident for incident in pressure if incident.threat]
    if threats:
        caps.append((CAP_THREAT, f"menace claire : « {threats[0].text} » ({threats[0].reason})"))
    others = [incident for incident in pressure if not incident.threat]
    if others:
        caps.append((CAP_PRESSURE, f"pression : « {others[0].text} » ({others[0].reason})"))
    if not information.correct:
        caps.append((CAP_PRESSURE, "information fausse (détail ci-dessous)"))
    if outcome.above_capacity:
        plan = outcome.above_capacity[0]
        caps.append(
            (CAP_PRESSURE, f"proposition au-dessus de ce que le débiteur a dit pouvoir payer : {plan.describe()}")
        )
    if outcome.pushed_after_vulnerability:
        caps.append((CAP_PRESSURE, "plan de paiement poussé après un deuil signalé, sans passage de relais"))
    return caps


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count <= 1 else plural}"


def _listening_text(m: Measures) -> str:
    if not m.reflections:
        return f"Écoute : aucun reflet ; reflets/questions {_ratio_text(m.r_q)} (repère MITI ≥ 1)."
    complex_count = m.counts["reflet_complexe"]
    return (
        f"Écoute : {_plural(m.reflections, 'reflet', 'reflets')} dont "
        f"{_plural(complex_count, 'complexe', 'complexes')} ({_percent(m.complex_share)}, repère MITI ≥ 40 %) ; "
        f"reflets/questions {_ratio_text(m.r_q)} (repère MITI ≥ 1)."
    )


def _reasons(
    m: Measures,
    persuasion: Sequence[Incident],
    information: Information,
    outcome: Outcome,
    caps: Sequence[tuple[float, str]],
) -> list[str]:
    reasons = [f"Note plafonnée à {cap:.0f} — {text}." for cap, text in caps]
    reasons.append(_listening_text(m))
    if m.questions:
        reasons.append(
            f"Questions : {m.counts['question_ouverte']} ouverte(s) sur {m.questions} ({_percent(m.open_share)}, "
            "repère : la majorité)."
        )
    else:
        reasons.append("Questions : aucune question pour explorer la situation du débiteur.")
    if m.empathy:
        reasons.append(f"Empathie et valorisations : {m.empathy}.")
    else:
        reasons.append("Empathie et valorisations : aucune (une formule toute faite ne compte pas).")
    if persuasion:
        reasons.append(f"Persuasion ou confrontation ({len(persuasion)}) : « {persuasion[0].text} ».")
    if information.correct:
        reasons.append(f"Information : exacte au regard {information.against}.")
    else:
        reasons.append("Information fausse : " + " ; ".join(information.problems[:3]) + ".")
    reasons.append(outcome_text(outcome))
    if outcome.premature is not None:
        reasons.append(f"Proposition standard avant de connaître la capacité : {outcome.premature.describe()}.")
    return reasons


def outcome_text(outcome: Outcome) -> str:
    text = f"Issue : {outcome.label}"
    if outcome.plan is not None:
        text += f" ({outcome.plan.describe()})"
    if outcome.fits is not None and outcome.capacity is not None:
        text += (" dans " if outcome.fits else " au-dessus de ") + outcome.capacity.describe()
    elif outcome.kind == "agreement" and outcome.fits is None:
        text += ", sans que le débiteur ait dit ce qu'il pouvait payer"
    if outcome.fragile:
        text += ", accord fragile"
    if outcome.kind in ("agreement", "paid", "handover"):
        text += " ; récapitulée" if outcome.recap else " ; non récapitulée"
        text += ", tenabilité vérifiée" if outcome.checked else ", tenabilité non vérifiée"
    if outcome.kind == "handover" and not outcome.vulnerable:
        text += " (aucune vulnérabilité signalée)"
    return text + "."


def round_half(value: float) -> float:
    return math.floor(value * 2 + 0.5) / 2


def score_transcript(
    transcript: Transcript, classifier: Classifier, scenario: Scenario | None = None, outcome: str | None = None
) -> Scorecard:
    """The scorecard of one transcript; `scenario` checks the figures against the case and the hidden capacity,
    `outcome` (agreement, refused, handover, hung_up), when a session knows it, replaces the one read in the text."""
    turns = code_turns(transcript.turns, classifier)
    m = measures(turns)
    pressure = tuple(
        Incident(turn.index, u.text, u.note or "pression", u.threat)
        for turn in turns
        for u in turn.utterances
        if u.code == PRESSION
    )
    persuasion = tuple(
        Incident(turn.index, u.text, u.note or "persuasion")
        for turn in turns
        for u in turn.utterances
        if u.code == PERSUASION
    )
    amount_due = _amount_due(transcript, scenario)
    information = check_information(turns, scenario)
    result = detect_outcome(turns, amount_due, scenario, outcome)
    criteria = criteria_of(m, len(persuasion), result)
    raw = BASE + SPAN * sum(criteria.values()) / len(criteria)
    caps = _caps(pressure, information, result)
    cap = min((value for value, _ in caps), default=None)
    score = round_half(min(raw, cap) if cap is not None else raw)
    return Scorecard(
        id=transcript.id,
        turns=tuple(turns),
        measures=m,
        pressure=pressure,
        persuasion=persuasion,
        information=information,
        outcome=result,
        criteria=criteria,
        raw_score=raw,
        cap=cap,
        score=max(1.0, min(5.0, score)),
        reasons=tuple(_reasons(m, persuasion, information, result, caps)),
        scenario=scenario.id if scenario is not None else transcript.scenario,
        caps=tuple(text for _, text in caps),
    )
