"""Role-play scenarios: the YAML schema (pydantic v1), its consistency rules, and the loader.

A scenario describes the debtor the assistant plays: the persona, the case and the creditor's policy (both
known to the trainee), the hidden facts the trainee must discover, the starting emotion and what calms or
escalates it, the outcome that counts as success, and the persona's own French lines (see `lines`).
Every error names the file and the field: "scenarios/deuil.yml: persona.age: doit être un entier entre 18 et 110".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Extra, Field, ValidationError, validator

from bot.assist.acts import AGENT_ACTS
from bot.nlu.emotion import EMOTIONS
from bot.roleplay.lines import day_of_month, expansions, placeholders, spoken_euros
from bot.roleplay.yaml_file import read_yaml

SCENARIO_DIR = Path(__file__).with_name("scenarios")
SPEECH_STYLES = ("formel", "courant", "familier", "sms", "hesitant")
BANDS = ("bas", "moyen", "haut")  # tension 0–3, 4–6, 7–10
STANDARD_FACTS = ("reason", "monthly_income", "monthly_charges", "pay_day", "bearable_monthly_amount")
SUCCESS_KINDS = ("agreement", "handover")
MIN_SESSION_TURNS = 30  # the fillers of every band hold at least this many distinct lines: no repeat in 30 turns
CASE_VALUES = ("name", "creditor", "reference", "nature", "amount_due", "fees", "remaining")
PROPOSAL_VALUES = ("monthly", "months", "offer")  # "90 € par mois", or "212,40 € en une fois"
PROPOSAL_POOLS = ("acceptance", "refusal", "final_refusal")
REFERENCE = re.compile(r"^REC-\d{4}-\d{6}$")
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message (French) names the file and the field."""


def band_of(tension: int) -> str:
    return "bas" if tension <= 3 else "moyen" if tension <= 6 else "haut"


def _int_between(value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"doit être un entier entre {low} et {high}")
    return value


def _money(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError("doit être un montant en euros (par exemple 212.40)")
    try:
        amount = Decimal(str(value).replace(",", ".").strip())
    except InvalidOperation:
        raise ValueError("doit être un montant en euros (par exemple 212.40)") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError("doit être un montant positif ou nul")
    return amount.quantize(Decimal("0.01"))


def _one_of(value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"doit être l'une des valeurs : {', '.join(allowed)}")
    return value


class _Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        allow_mutation = False
        anystr_strip_whitespace = True


class Persona(_Strict):
    name: str
    age: int
    situation: str
    speech_style: str

    _age = validator("age", pre=True, allow_reuse=True)(lambda value: _int_between(value, 18, 110))
    _style = validator("speech_style", allow_reuse=True)(lambda value: _one_of(value, SPEECH_STYLES))


class Policy(_Strict):
    max_months: int
    min_instalment: Decimal
    discount_rate: Decimal = Decimal("0")

    _months = validator("max_months", pre=True, allow_reuse=True)(lambda value: _int_between(value, 1, 24))
    _amounts = validator("min_instalment", pre=True, allow_reuse=True)(_money)

    @validator("discount_rate", pre=True)
    def _rate(cls, value: Any) -> Decimal:
        message = "doit être un taux entre 0 et 1 (0.10 pour 10 %)"
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            raise ValueError(message)
        try:
            rate = Decimal(str(value))
        except InvalidOperation:
            raise ValueError(message) from None
        if not rate.is_finite() or not 0 <= rate < 1:
            raise ValueError(message)
        return rate

    @validator("min_instalment")
    def _positive(cls, value: Decimal) -> Decimal:
        if value <= 0:
            raise ValueError("doit être un montant strictement positif")
        return value


class Case(_Strict):
    reference: str
    creditor: str
    nature: str
    amount_due: Decimal
    fees: Decimal = Decimal("0")
    policy: Policy

    _amounts = validator("amount_due", "fees", pre=True, allow_reuse=True)(_money)

    @validator("reference")
    def _reference(cls, value: str) -> str:
        if not REFERENCE.match(value):
            raise ValueError("doit être une référence de la forme REC-AAAA-NNNNNN")
        return value

    @validator("amount_due")
    def _positive(cls, value: Decimal) -> Decimal:
        if value <= 0:
            raise ValueError("doit être un montant strictement positif")
        return value


class HiddenFacts(_Strict):
    reason: str
    monthly_income: Decimal
    monthly_charges: Decimal
    bearable_monthly_amount: Decimal
    pay_day: int
    extra: dict[str, str] = Field(default_factory=dict)

    _amounts = validator("monthly_income", "monthly_charges", "bearable_monthly_amount", pre=True, allow_reuse=True)(
        _money
    )
    _day = validator("pay_day", pre=True, allow_reuse=True)(lambda value: _int_between(value, 1, 31))

    @validator("extra")
    def _names(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            if not IDENTIFIER.match(name) or name in STANDARD_FACTS or name in CASE_VALUES + PROPOSAL_VALUES:
                raise ValueError(f"« {name} » : nom de fait invalide (minuscules, chiffres et _, nom non réservé)")
        return value


class Discovery(_Strict):
    keywords: list[str] = Field(default_factory=list)
    requires_listening: int = 0
    volunteered: bool | None = None

    _listening = validator("requires_listening", pre=True, allow_reuse=True)(lambda value: _int_between(value, 0, 10))


class Emotion(_Strict):
    start: str
    intensity: int
    calm: str = "neutre"  # below tension 4
    escalated: str | None = None  # from tension 7 (default: the starting emotion)

    _labels = validator("start", "calm", "escalated", allow_reuse=True)(lambda value: _one_of(value, EMOTIONS))
    _intensity = validator("intensity", pre=True, allow_reuse=True)(lambda value: _int_between(value, 0, 10))


class Triggers(_Strict):
    acts: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)

    _acts = validator("acts", each_item=True, allow_reuse=True)(lambda value: _one_of(value, AGENT_ACTS))


class Verification(_Strict):
    """What the agent must say before the debtor reveals anything: `required` distinct markers."""

    required: int = 2
    markers: dict[str, list[str]]

    _required = validator("required", pre=True, allow_reuse=True)(lambda value: _int_between(value, 1, 10))


class Vulnerability(_Strict):
    """A vulnerability the agent must acknowledge before any talk of payment."""

    acknowledged_by: Triggers
    proposal_penalty: int = 2

    _penalty = validator("proposal_penalty", pre=True, allow_reuse=True)(lambda value: _int_between(value, 0, 10))


class Success(_Strict):
    kind: str
    requires_revealed: list[str] = Field(default_factory=list)
    handover_keywords: list[str] = Field(default_factory=list)

    _kind = validator("kind", allow_reuse=True)(lambda value: _one_of(value, SUCCESS_KINDS))


class Lines(_Strict):
    openings: list[str]
    reactions: dict[str, dict[str, list[str]]]
    fillers: dict[str, list[str]]
    facts: dict[str, list[str]]
    short_facts: dict[str, list[str]] = Field(default_factory=dict)
    withhold: list[str]
    too_soon: list[str]
    ask_amount: list[str]
    acceptance: list[str]
    refusal: list[str]
    final_refusal: list[str]
    hang_up: list[str]
    handover_accept: list[str] = Field(default_factory=list)
    verification: list[str] = Field(default_factory=list)


class Scenario(_Strict):
    id: str
    title: str
    briefing: str
    persona: Persona
    case: Case
    hidden_facts: HiddenFacts
    discovery: dict[str, Discovery] = Field(default_factory=dict)
    discovery_order: list[str] = Field(default_factory=list)
    opening_reveals: list[str] = Field(default_factory=list)
    emotion: Emotion
    calmed_by: Triggers = Field(default_factory=Triggers)
    escalated_by: Triggers = Field(default_factory=Triggers)
    hang_up_at: int = 9
    max_refusals: int = 3
    verification: Verification | None = None
    vulnerability: Vulnerability | None = None
    success: Success
    lines: Lines

    _id = validator("id", allow_reuse=True)(
        lambda value: value if IDENTIFIER.match(value) else _raise("doit être un identifiant (minuscules, chiffres, _)")
    )
    _hang_up = validator("hang_up_at", pre=True, allow_reuse=True)(lambda value: _int_between(value, 1, 10))
    _refusals = validator("max_refusals", pre=True, allow_reuse=True)(lambda value: _int_between(value, 1, 10))

    # ------------------------------------------------------------------ derived views

    @property
    def fact_names(self) -> tuple[str, ...]:
        return STANDARD_FACTS + tuple(self.hidden_facts.extra)

    @property
    def order(self) -> list[str]:
        """The order in which the debtor reveals facts when the question has no clear topic."""
        listed = [name for name in self.discovery_order if name in self.fact_names]
        default = ["reason", *self.hidden_facts.extra, "monthly_income", "monthly_charges", "pay_day"]
        rest = [name for name in [*default, "bearable_monthly_amount"] if name not in listed]
        return listed + rest

    def discovery_of(self, fact: str) -> Discovery:
        return self.discovery.get(fact) or Discovery()

    def volunteered(self, fact: str) -> bool:
        """Whether the debtor tells the fact on their own when they feel heard (default: the story, not figures)."""
        setting = self.discovery_of(fact).volunteered
        return setting if setting is not None else fact == "reason" or fact in self.hidden_facts.extra

    def fact_value(self, fact: str) -> str:
        """The fact as the trainer reads it (the value the scenario holds)."""
        return self.values()[fact]

    def values(self) -> dict[str, str]:
        """Every placeholder value but the proposal's (`monthly`, `months`)."""
        facts, case = self.hidden_facts, self.case
        return {
            "name": self.persona.name,
            "creditor": case.creditor,
            "reference": case.reference,
            "nature": case.nature,
            "amount_due": spoken_euros(case.amount_due),
            "fees": spoken_euros(case.fees),
            "remaining": spoken_euros(max(facts.monthly_income - facts.monthly_charges, Decimal("0"))),
            "reason": facts.reason,
            "monthly_income": spoken_euros(facts.monthly_income),
            "monthly_charges": spoken_euros(facts.monthly_charges),
            "bearable_monthly_amount": spoken_euros(facts.bearable_monthly_amount),
            "pay_day": day_of_month(facts.pay_day),
            **facts.extra,
        }

    @property
    def success_label(self) -> str:
        if self.success.kind == "handover":
            return "passage de relais bienveillant (rappel, pause), sans plan de paiement"
        return "accord de paiement dans la capacité du débiteur"


def _raise(message: str) -> str:
    raise ValueError(message)


# ---------------------------------------------------------------------- consistency


def _line_pools(lines: Lines) -> Iterator[tuple[str, str, list[str]]]:
    """(field path, pool name, templates) for every pool of lines."""
    for field in Lines.__fields__:
        value = getattr(lines, field)
        if isinstance(value, list):
            yield f"lines.{field}", field, value
        else:
            for key, inner in value.items():
                if isinstance(inner, list):
                    yield f"lines.{field}.{key}", field, inner
                else:
                    for band, pool in inner.items():
                        yield f"lines.{field}.{key}.{band}", field, pool


def _problems(scenario: Scenario) -> Iterator[tuple[str, str]]:
    facts = set(scenario.fact_names)
    lines = scenario.lines
    known = set(CASE_VALUES) | facts
    for path, pool_name, pool in _line_pools(lines):
        for index, template in enumerate(pool):
            if not template.strip():
                yield f"{path}[{index}]", "réplique vide"
                continue
            try:
                names = placeholders(template)
            except ValueError as error:
                yield f"{path}[{index}]", str(error)
                continue
            allowed = known | set(PROPOSAL_VALUES) if pool_name in PROPOSAL_POOLS else known
            for name in sorted(names - allowed):
                hint = " (réservée aux répliques d'acceptation et de refus)" if name in PROPOSAL_VALUES else ""
                yield f"{path}[{index}]", f"variable inconnue {{{name}}}{hint}"
    for act in lines.reactions:
        if act not in AGENT_ACTS:
            yield f"lines.reactions.{act}", f"acte inconnu (actes : {', '.join(AGENT_ACTS)})"
        for band in lines.reactions[act]:
            if band not in BANDS:
                yield f"lines.reactions.{act}.{band}", f"niveau de tension inconnu (niveaux : {', '.join(BANDS)})"
    for band in BANDS:
        count = len({line for template in lines.fillers.get(band, []) for line in expansions(template)})
        if count < MIN_SESSION_TURNS:
            yield (
                f"lines.fillers.{band}",
                f"au moins {MIN_SESSION_TURNS} répliques distinctes nécessaires, variantes comprises "
                f"({count} trouvées)",
            )
    for band in lines.fillers:
        if band not in BANDS:
            yield f"lines.fillers.{band}", f"niveau de tension inconnu (niveaux : {', '.join(BANDS)})"
    for fact in scenario.fact_names:
        if not lines.facts.get(fact):
            yield f"lines.facts.{fact}", "au moins une réplique révélant ce fait est nécessaire"
    for field, names in (
        ("lines.facts", list(lines.facts)),
        ("lines.short_facts", list(lines.short_facts)),
        ("discovery", list(scenario.discovery)),
    ):
        for name in names:
            if name not in facts:
                yield f"{field}.{name}", f"fait inconnu (faits : {', '.join(scenario.fact_names)})"
    for field, names in (
        ("discovery_order", scenario.discovery_order),
        ("opening_reveals", scenario.opening_reveals),
        ("success.requires_revealed", scenario.success.requires_revealed),
    ):
        for index, name in enumerate(names):
            if name not in facts:
                yield f"{field}[{index}]", f"fait inconnu « {name} » (faits : {', '.join(scenario.fact_names)})"
    required = ("openings", "withhold", "too_soon", "ask_amount", "acceptance", "refusal", "final_refusal", "hang_up")
    for field in required:
        if not getattr(lines, field):
            yield f"lines.{field}", "au moins une réplique est nécessaire"
    if scenario.success.kind == "handover":
        if not scenario.success.handover_keywords:
            yield "success.handover_keywords", "obligatoire quand la réussite est un passage de relais"
        if not lines.handover_accept:
            yield "lines.handover_accept", "obligatoire quand la réussite est un passage de relais"
    else:
        yield from _agreement_problems(scenario)
    if scenario.verification is not None:
        if not lines.verification:
            yield "lines.verification", "obligatoire quand une vérification est demandée"
        markers = scenario.verification.markers
        if scenario.verification.required > len(markers):
            yield "verification.required", f"dépasse le nombre de marqueurs ({len(markers)})"
        for name, words in markers.items():
            if not words:
                yield f"verification.markers.{name}", "au moins un mot-clé est nécessaire"


def _agreement_problems(scenario: Scenario) -> Iterator[tuple[str, str]]:
    bearable = scenario.hidden_facts.bearable_monthly_amount
    policy = scenario.case.policy
    if bearable <= 0:
        yield "hidden_facts.bearable_monthly_amount", "doit être strictement positif quand la réussite est un accord"
    elif bearable < policy.min_instalment:
        yield "hidden_facts.bearable_monthly_amount", "inférieur à la mensualité minimale du créancier : aucun accord"
    elif math.ceil(scenario.case.amount_due / bearable) > policy.max_months:
        yield (
            "hidden_facts.bearable_monthly_amount",
            f"aucun échéancier de {policy.max_months} mois au plus ne tient dans ce montant : aucun accord possible",
        )


# ---------------------------------------------------------------------- loading


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _location(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if part == "__root__":
            continue
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(racine)"


FRENCH_ERRORS = {
    "value_error.missing": "champ obligatoire manquant",
    "value_error.extra": "champ inconnu",
    "type_error.integer": "doit être un entier",
    "type_error.str": "doit être un texte",
    "type_error.list": "doit être une liste",
    "type_error.dict": "doit être un dictionnaire",
    "type_error.bool": "doit valoir true ou false",
    "type_error.none.not_allowed": "ne doit pas être vide",
}


def _french(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "value_error":
        return str(error.get("msg", ""))
    return FRENCH_ERRORS.get(kind, f"valeur invalide ({error.get('msg', kind)})")


def parse_scenario(data: Any, source: str) -> Scenario:
    """A scenario from already-read YAML data; `source` names it in the errors."""
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: le fichier doit décrire un scénario (un dictionnaire YAML)")
    try:
        scenario = Scenario.parse_obj(data)
    except ValidationError as error:
        messages = [f"{source}: {_location(item['loc'])}: {_french(item)}" for item in error.errors()]
        raise ScenarioError("\n".join(messages)) from None
    problems = [f"{source}: {where}: {message}" for where, message in _problems(scenario)]
    if problems:
        raise ScenarioError("\n".join(problems))
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """The scenario of a YAML file; `ScenarioError` (French, naming the file and the field) when it is unusable."""
    path = Path(path)
    source = _display(path)
    data = read_yaml(path, source, ScenarioError)
    scenario = parse_scenario(data, source)
    if scenario.id != path.stem:
        raise ScenarioError(f"{source}: id: doit être le nom du fichier sans extension (« {path.stem} »)")
    return scenario


def list_scenarios() -> list[Scenario]:
    """The shipped scenarios (bot/roleplay/scenarios/*.yml), sorted by id."""
    return [load_scenario(path) for path in sorted(SCENARIO_DIR.glob("*.yml"))]


def get_scenario(name: str | Path) -> Scenario:
    """A shipped scenario by id, or any scenario file by path."""
    path = Path(name)
    if path.suffix in (".yml", ".yaml") or path.is_file():
        return load_scenario(path)
    shipped = SCENARIO_DIR / f"{name}.yml"
    if shipped.is_file():
        return load_scenario(shipped)
    available = ", ".join(sorted(p.stem for p in SCENARIO_DIR.glob("*.yml")))
    raise ScenarioError(f"scénario inconnu : « {name} » (scénarios disponibles : {available})")
