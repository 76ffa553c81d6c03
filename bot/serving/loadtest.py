"""`amiable bench load`: a load benchmark of whole negotiations on the REST channel.

For one trained model, a fresh stack is started on free ports (action server + `rasa run` with the REST channel),
with a temporary SQLite case store (the demo data, plus synthetic cases cloned from a few demo cases under fresh
references, so that every simulated conversation identifies on its own case) and a temporary SQLite tracker
store. A bounded asyncio client (aiohttp) then plays realistic French negotiations — greeting, reference, birth
date, difficulty, monthly amount, pay day, choice, confirmation — at each concurrency level, timing every turn
from the request to the complete answer. Errors are counted per turn (non-200 or no answer, empty answer, the
channel's apology for an abandoned turn) and per conversation (no "Votre accord est enregistré"). Peak memory
comes from `VmHWM` in /proc/<pid>/status (reset between levels through /proc/<pid>/clear_refs). At the end, the
case store must hold exactly one arrangement per conversation.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import re
import socket
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select

from bot.cases import CaseStore
from bot.cases.demo import load_demo_data, seed
from bot.cases.models import Arrangement, Case
from bot.cases.schemas import DemoCaseIn, DemoData
from bot.channels import REST_WEBHOOK_PATH
from bot.serving.stack import Stack, StackConfig
from bot.text.french import MONTHS

DEMO_TODAY = "2026-11-22"  # the demo data's reference date: the same schedules on every run
AGREEMENT_MARK = "Votre accord est enregistré"
# The REST channel's apology when a turn fails and is abandoned (bot.channels.rest.APOLOGY, not imported here:
# that module loads Rasa). A 200 answer, but an error: the turn was not processed.
APOLOGY_MARK = "je rencontre un problème technique"
# Demo cases cloned for the load: open, nothing paid, no arrangement, dispute or complaint, and small enough for
# every scripted amount (40 to 80 € a month) to give at least two payment plans (see tests/bot/serving).
TEMPLATE_REFERENCES = (
    "REC-2026-000101",
    "REC-2026-000117",
    "REC-2026-000141",
    "REC-2026-000178",
    "REC-2026-000128",
    "REC-2026-000152",
    "REC-2026-000161",
)
FIRST_SYNTHETIC_NUMBER = 900_001  # REC-2026-900001, … : far from the demo references
MAX_SYNTHETIC_CASES = 99_999
WARM_UP_CONVERSATIONS = 1  # first turns load lazy models: not measured
REQUEST_TIMEOUT_SECONDS = 120.0
FAILURE_EXAMPLES = 5
DEFAULT_LEVELS = (1, 10, 50)
DEFAULT_CONVERSATIONS = 10

FORMAL, FAMILIAR = "soutenu", "familier"
REGISTERS = (FORMAL, FAMILIAR)
AMOUNTS = (40, 45, 50, 55, 60, 70, 80)
# One pool of hand-written wordings per step and register. Placeholders: {reference}, {reference_lower},
# {numeric} (12/04/1987), {words} (12 avril 1987), {born} (né/née), {e} ("" or "e"), {amount}.
STEPS = ("salutation", "référence", "naissance", "difficulté", "montant", "jour de paie", "choix", "confirmation")
WORDINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "salutation": {
        FORMAL: (
            "Bonjour",
            "Bonjour madame, je vous contacte au sujet de mon dossier",
            "Bonsoir, j'ai reçu un courrier pour une facture impayée",
            "Bonjour, je souhaiterais régulariser ma situation",
        ),
        FAMILIAR: ("coucou je viens pour mon dossier", "bonjour", "bonjour c'est pour mon dossier"),
    },
    "référence": {
        FORMAL: ("{reference}", "Mon numéro de dossier est {reference}", "Il s'agit du dossier {reference}."),
        FAMILIAR: ("c'est le dossier {reference}", "{reference}", "{reference_lower}"),
    },
    "naissance": {
        FORMAL: ("{numeric}", "Je suis {born} le {words}."),
        FAMILIAR: ("{numeric}", "{words}", "{born} le {numeric}"),
    },
    "difficulté": {
        FORMAL: (
            "J'ai perdu mon travail en septembre et je n'arrive plus à payer.",
            "Mon contrat d'intérim s'est terminé le mois dernier et mes revenus ont beaucoup baissé.",
            "Ma voiture est tombée en panne et la réparation a vidé mon compte ce mois-ci.",
            "Je suis passé{e} à temps partiel et mon salaire ne suffit plus.",
            "Je suis auto-entrepreneur et plusieurs clients ne m'ont pas encore payé.",
        ),
        FAMILIAR: (
            "j'ai plus de boulot depuis la rentrée, c'est galère pour payer",
            "ma caisse est tombée en panne et la réparation m'a coûté une blinde",
            "je suis auto-entrepreneur et mes clients me paient pas en ce moment",
            "on m'a baissé mes heures au taf, je gagne moins",
        ),
    },
    "montant": {
        FORMAL: (
            "Je peux consacrer {amount} € par mois à ce remboursement.",
            "Je pense pouvoir verser {amount} euros chaque mois.",
            "Je pourrais mettre {amount} euros par mois.",
        ),
        FAMILIAR: (
            "{amount} euros par mois ça irait",
            "je peux mettre {amount} balles par mois",
            "{amount} € par mois max",
        ),
    },
    "jour de paie": {
        FORMAL: ("Le 10 du mois.", "Mes revenus arrivent en début de mois.", "le 5"),
        FAMILIAR: ("le 5", "vers le 15", "autour du 8"),
    },
    "choix": {
        FORMAL: ("Je choisis la première option.", "Je préfère la deuxième solution."),
        FAMILIAR: ("la 2 me va", "la première", "je prends la deuxième"),
    },
    "confirmation": {
        FORMAL: ("Oui, je confirme.", "Oui, c'est d'accord."),
        FAMILIAR: ("oui c'est bon", "ok ça marche", "oui"),
    },
}


# --------------------------------------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class LoadCase:
    """A case one simulated conversation identifies on."""

    reference: str
    birth_date: date
    civility: str | None


def synthetic_cases(data: DemoData, count: int, first_number: int = FIRST_SYNTHETIC_NUMBER) -> list[DemoCaseIn]:
    """`count` copies of the template demo cases (in turn), each under a fresh reference."""
    if not 0 <= count <= MAX_SYNTHETIC_CASES:
        raise ValueError(f"entre 0 et {MAX_SYNTHETIC_CASES} dossiers synthétiques")
    templates = {case.reference: case for case in data.cases}
    missing = [reference for reference in TEMPLATE_REFERENCES if reference not in templates]
    if missing:
        raise ValueError(f"dossiers modèles absents des données de démo : {', '.join(missing)}")
    ordered = [templates[reference] for reference in TEMPLATE_REFERENCES]
    return [
        ordered[index % len(ordered)].copy(update={"reference": f"REC-2026-{first_number + index:06d}"}, deep=True)
        for index in range(count)
    ]


def seed_case_store(url: str, count: int) -> list[LoadCase]:
    """Creates the case store at `url` with the demo data and `count` synthetic cases; returns the latter."""
    data = load_demo_data()
    clones = synthetic_cases(data, count)
    store = CaseStore(url)
    store.migrate()
    with store.session() as session:
        seed(session, data)
        seed(session, DemoData(creditors=data.creditors, cases=clones))
    return [LoadCase(case.reference, case.debtor.birth_date, case.debtor.civility) for case in clones]


def arrangement_counts(url: str, references: Iterable[str]) -> dict[str, int]:
    """How many arrangements each case holds."""
    wanted = list(references)
    counts = dict.fromkeys(wanted, 0)
    statement = (
        select(Case.reference, func.count(Arrangement.id))
        .join(Arrangement, Arrangement.case_id == Case.id)
        .where(Case.reference.in_(wanted))
        .group_by(Case.reference)
    )
    with CaseStore(url).session() as session:
        for reference, count in session.execute(statement):
            counts[reference] = count
    return counts


def arrangement_mismatches(url: str, references: Iterable[str]) -> dict[str, int]:
    """The cases that do not hold exactly one arrangement, with what they hold."""
    return {reference: count for reference, count in arrangement_counts(url, references).items() if count != 1}


# ----------------------------------------------------------------------------------------- the conversations


@dataclass(frozen=True)
class Script:
    """What one simulated debtor types, turn after turn."""

    sender: str
    reference: str
    register: str
    turns: tuple[str, ...]
    expects_agreement: bool = True  # False for the floor's small talk (no negotiation)


def _pick(step: str, register: str, index: int) -> str:
    pool = WORDINGS[step][register]
    return pool[(index // len(REGISTERS) + STEPS.index(step)) % len(pool)]


def conversation_script(case: LoadCase, index: int, sender: str) -> Script:
    """The negotiation of the `index`-th simulated debtor: register and wordings vary with the index."""
    register = REGISTERS[index % len(REGISTERS)]
    female = case.civility == "Madame"
    values = {
        "reference": case.reference,
        "reference_lower": case.reference.lower(),
        "numeric": case.birth_date.strftime("%d/%m/%Y"),
        "words": f"{case.birth_date.day} {MONTHS[case.birth_date.month - 1]} {case.birth_date.year}",
        "born": "née" if female else "né",
        "e": "e" if female else "",
        "amount": str(AMOUNTS[(index * 3 + index // len(AMOUNTS)) % len(AMOUNTS)]),
    }
    turns = tuple(_pick(step, register, index).format(**values) for step in STEPS)
    return Script(sender=sender, reference=case.reference, register=register, turns=turns)


def conversation_scripts(cases: Sequence[LoadCase], prefix: str) -> list[Script]:
    """One script per case, in order (no two conversations share a case)."""
    return [conversation_script(case, index, f"{prefix}-{index:05d}") for index, case in enumerate(cases)]


# The floor's conversations: as many turns as a negotiation, each answered by a response (no action, no entity).
FLOOR_TURNS = ("bonjour", "merci", "bonsoir", "merci", "bonjour", "merci", "au revoir", "merci")


def floor_scripts(count: int, prefix: str) -> list[Script]:
    return [
        Script(f"{prefix}-{index:05d}", "", FAMILIAR, FLOOR_TURNS, expects_agreement=False) for index in range(count)
    ]


# ------------------------------------------------------------------------------------------------- the client


@dataclass
class ConversationResult:
    sender: str
    reference: str
    latencies_ms: list[float] = field(default_factory=list)
    http_errors: int = 0  # non-200 answers, and requests that got no answer at all
    empty_answers: int = 0
    apologies: int = 0  # turns the channel abandoned (an apology instead of the answer)
    reached_agreement: bool = False
    failure: str | None = None
    transcript: list[dict[str, Any]] = field(default_factory=list)  # what was said, for the failures shown
    expects_agreement: bool = True  # False for the floor's small talk


async def converse(
    session: aiohttp.ClientSession, url: str, script: Script, on_turn: Callable[[], None] = lambda: None
) -> ConversationResult:
    """Plays one script; a request that gets no answer (refused, timed out) ends the conversation."""
    result = ConversationResult(script.sender, script.reference, expects_agreement=script.expects_agreement)
    last: list[str] = []
    for number, text in enumerate(script.turns, 1):
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": script.sender, "message": text}) as answer:
                body = await answer.read()
                status = answer.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            result.http_errors += 1
            result.failure = result.failure or f"tour {number} : pas de réponse ({type(error).__name__})"
            on_turn()
            break
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        on_turn()
        if status != 200:
            result.http_errors += 1
            result.failure = result.failure or f"tour {number} : HTTP {status}"
            result.transcript.append({"user": text, "status": status})
            continue
        last = _texts(body)
        result.transcript.append({"user": text, "bot": last})
        if not last:
            result.empty_answers += 1
            result.failure = result.failure or f"tour {number} : réponse vide à « {text} »"
        elif any(APOLOGY_MARK in reply for reply in last):
            result.apologies += 1
            result.failure = result.failure or f"tour {number} : tour abandonné (excuse du canal) à « {text} »"
        elif any(AGREEMENT_MARK in reply for reply in last):
            result.reached_agreement = True
    if result.expects_agreement and not result.reached_agreement and result.failure is None:
        said = " / ".join(last)[:300]
        result.failure = f"pas d'accord enregistré ; dernière réponse : « {said} »"
    return result


def _texts(body: bytes) -> list[str]:
    try:
        replies = json.loads(body or b"[]")
    except ValueError:
        return []
    if not isinstance(replies, list):
        return []
    return [str(reply["text"]) for reply in replies if isinstance(reply, dict) and reply.get("text")]


@dataclass
class LevelRun:
    concurrency: int
    results: list[ConversationResult]
    seconds: float


async def run_level(
    base_url: str, scripts: Sequence[Script], concurrency: int, on_turn: Callable[[], None] = lambda: None
) -> LevelRun:
    """Plays every script with at most `concurrency` conversations (and connections) at a time."""
    url = f"{base_url}{REST_WEBHOOK_PATH}"
    gate = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def bounded(script: Script) -> ConversationResult:
            async with gate:
                return await converse(session, url, script, on_turn)

        started = time.perf_counter()
        results = await asyncio.gather(*(bounded(script) for script in scripts))
        seconds = time.perf_counter() - started
    return LevelRun(concurrency, list(results), seconds)


# ------------------------------------------------------------------------------------------------ statistics


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100), linear interpolation between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("aucune valeur")
    if not 0 <= q <= 100:
        raise ValueError("q entre 0 et 100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class LevelReport:
    concurrency: int
    conversations: int
    turns: int
    seconds: float
    turns_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    http_errors: int
    empty_answers: int
    apologies: int
    without_agreement: int
    peak_memory_kib: dict[str, int | None]
    failures: list[dict[str, Any]]
    p50_ms_by_turn: list[float] = field(default_factory=list)  # where the time goes, turn by turn

    @property
    def turn_errors(self) -> int:
        return self.http_errors + self.empty_answers + self.apologies

    def as_dict(self) -> dict[str, Any]:
        return {
            "concurrency": self.concurrency,
            "conversations": self.conversations,
            "turns": self.turns,
            "seconds": self.seconds,
            "turns_per_second": self.turns_per_second,
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "p99_ms": self.p99_ms,
            "max_ms": self.max_ms,
            "errors": {
                "turns": self.turn_errors,
                "http": self.http_errors,
                "empty_answers": self.empty_answers,
                "apologies": self.apologies,
                "conversations_without_agreement": self.without_agreement,
            },
            "peak_memory_kib": self.peak_memory_kib,
            "failures": self.failures,
            "p50_ms_by_turn": self.p50_ms_by_turn,
        }


def level_report(run: LevelRun, peak_memory_kib: Mapping[str, int | None]) -> LevelReport:
    latencies = [latency for result in run.results for latency in result.latencies_ms]

    def rounded(q: float) -> float:
        return round(percentile(latencies, q), 1) if latencies else 0.0

    missed = [result for result in run.results if result.expects_agreement and not result.reached_agreement]
    failed = [result for result in run.results if result in missed or result.failure]
    by_turn: list[list[float]] = []
    for result in run.results:  # a conversation's latencies are in turn order (a turn without answer ends it)
        for turn, latency in enumerate(result.latencies_ms):
            if turn == len(by_turn):
                by_turn.append([])
            by_turn[turn].append(latency)
    return LevelReport(
        concurrency=run.concurrency,
        conversations=len(run.results),
        turns=len(latencies),
        seconds=round(run.seconds, 2),
        turns_per_second=round(len(latencies) / run.seconds, 2) if run.seconds > 0 else 0.0,
        p50_ms=rounded(50),
        p95_ms=rounded(95),
        p99_ms=rounded(99),
        max_ms=round(max(latencies), 1) if latencies else 0.0,
        http_errors=sum(result.http_errors for result in run.results),
        empty_answers=sum(result.empty_answers for result in run.results),
        apologies=sum(result.apologies for result in run.results),
        without_agreement=len(missed),
        peak_memory_kib=dict(peak_memory_kib),
        failures=[
            {
                "sender": result.sender,
                "reference": result.reference,
                "reason": result.failure or "",
                "transcript": result.transcript,
            }
            for result in failed[:FAILURE_EXAMPLES]
        ],
        p50_ms_by_turn=[round(percentile(values, 50), 1) for values in by_turn],
    )


# ---------------------------------------------------------------------------------------------------- memory

_VM_HWM = re.compile(r"^VmHWM:\s+(\d+)\s+kB$", re.MULTILINE)


def parse_vm_hwm(status: str) -> int | None:
    """The peak resident set size (kB) in the text of /proc/<pid>/status."""
    match = _VM_HWM.search(status)
    return int(match.group(1)) if match else None


def peak_memory_kib(pid: int) -> int | None:
    try:
        return parse_vm_hwm(Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return None


def reset_peak_memory(pid: int) -> bool:
    """Resets the process's VmHWM to its current RSS (Linux ≥ 4.0); False when not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


# ------------------------------------------------------------------------------------------------ server logs

_LOG_PROBLEM = re.compile(r"\b(ERROR|WARNING|CRITICAL|Traceback|Error|Exception)\b")
_LOG_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(,\d+)?\s+")
LOG_PROBLEMS_KEPT = 20


def _read_from(path: Path, offset: int) -> str:
    """What a log received after `offset` bytes (the measured part of the run)."""
    if not path.is_file():
        return ""
    with path.open("rb") as handle:
        handle.seek(offset)
        return handle.read().decode(errors="replace")


def log_problems(text: str, limit: int = LOG_PROBLEMS_KEPT) -> list[str]:
    """The distinct error and warning lines of a server log (timestamps dropped), first seen first."""
    found: dict[str, None] = {}
    for line in text.splitlines():
        if _LOG_PROBLEM.search(line):
            found.setdefault(_LOG_STAMP.sub("", line.strip())[:300], None)
            if len(found) >= limit:
                break
    return list(found)


# ---------------------------------------------------------------------------------------------- one config


@dataclass(frozen=True)
class Configuration:
    key: str
    label: str
    model: Path
    negotiates: bool = True  # False: the floor (small talk on Rasa's REST channel, no action server, no case)
    credentials: Path = Path("credentials.yml")


@dataclass
class ConfigurationReport:
    configuration: Configuration
    levels: list[LevelReport]
    peak_memory_kib: dict[str, int | None]
    conversations: int
    mismatches: dict[str, int]
    seconds: float
    log_problems: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.configuration.key,
            "label": self.configuration.label,
            "model": str(self.configuration.model),
            "negotiates": self.configuration.negotiates,
            "levels": [level.as_dict() for level in self.levels],
            "peak_memory_kib": self.peak_memory_kib,
            "arrangements": {
                "conversations": self.conversations,
                "with_exactly_one": self.conversations - len(self.mismatches),
                "mismatches": self.mismatches,
            }
            if self.configuration.negotiates
            else None,
            "seconds": self.seconds,
            "log_problems": self.log_problems,
        }


def conversations_per_level(levels: Sequence[int], conversations: int) -> list[int]:
    return [max(level, conversations) for level in levels]


def parse_levels(text: str) -> list[int]:
    """ "1,10,50" → [1, 10, 50]; ValueError on anything else."""
    levels = [int(part) for part in text.split(",") if part.strip()]
    if not levels or min(levels) < 1:
        raise ValueError("au moins un niveau, chacun ≥ 1")
    return levels


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _max(values: Iterable[int | None]) -> int | None:
    known = [value for value in values if value is not None]
    return max(known) if known else None


Progress = Callable[[str], None]
TurnProgress = Callable[[int, int, int], None]  # level, turns done, turns planned


def _stack_config(configuration: Configuration, workdir: Path, database: str) -> StackConfig:
    """Free ports, the temporary case store and a temporary SQLite tracker store."""
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        "action_endpoint:\n  url: ${ACTION_SERVER_URL}\n"
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {workdir / 'tracker.db'}\n",
        encoding="utf-8",
    )
    return StackConfig(
        model=configuration.model,
        rasa_port=_free_port(),
        action_port=_free_port(),
        endpoints=endpoints,
        credentials=configuration.credentials,
        with_action_server=configuration.negotiates,
        log_dir=workdir / "log",
        environment={"AMIABLE_DB_URL": database, "AMIABLE_TODAY": DEMO_TODAY},
    )


def _measure_level(
    base_url: str, scripts: Sequence[Script], level: int, pids: Mapping[str, int], on_turn: TurnProgress
) -> LevelReport:
    """One level: peaks reset, every script played `level` at a time, peaks read."""
    planned = sum(len(script.turns) for script in scripts)
    done = [0]

    def tick() -> None:
        done[0] += 1
        on_turn(level, done[0], planned)

    for pid in pids.values():
        reset_peak_memory(pid)
    run = asyncio.run(run_level(base_url, scripts, level, tick))
    return level_report(run, {name: peak_memory_kib(pid) for name, pid in pids.items()})


def run_configuration(
    configuration: Configuration,
    levels: Sequence[int],
    conversations: int,
    say: Progress = lambda _: None,
    on_turn: TurnProgress = lambda *_: None,
) -> ConfigurationReport:
    """Starts a fresh stack on `configuration.model`, plays every level on it, stops it, checks the case store."""
    started = time.monotonic()
    sizes = conversations_per_level(levels, conversations)
    with tempfile.TemporaryDirectory(prefix="amiable-load-") as directory:
        workdir = Path(directory)
        database = f"sqlite:///{workdir / 'cases.db'}"
        count, prefix = WARM_UP_CONVERSATIONS + sum(sizes), f"charge-{configuration.key}"
        if configuration.negotiates:
            scripts = conversation_scripts(seed_case_store(database, count), prefix)
        else:
            scripts = floor_scripts(count, prefix)
        warm_up, remaining = scripts[:WARM_UP_CONVERSATIONS], scripts[WARM_UP_CONVERSATIONS:]
        config = _stack_config(configuration, workdir, database)
        servers = "du serveur d'actions et du serveur Rasa" if configuration.negotiates else "du serveur Rasa"
        say(f"{configuration.label} : démarrage {servers} ({configuration.model})…")
        with Stack(config) as stack:
            pids = {name: process.pid for name, process in stack.processes.items()}
            say(f"{configuration.label} : conversation d'échauffement (non mesurée)…")
            asyncio.run(run_level(config.rasa_url, warm_up, len(warm_up)))
            peaks = [{name: peak_memory_kib(pid) for name, pid in pids.items()}]
            logs = {name: config.log_dir / f"{name}.log" for name in pids}
            offsets = {name: path.stat().st_size if path.is_file() else 0 for name, path in logs.items()}
            reports: list[LevelReport] = []
            for level, size in zip(levels, sizes):
                say(f"{configuration.label} : {level} conversation(s) simultanée(s), {size} conversations…")
                reports.append(_measure_level(config.rasa_url, remaining[:size], level, pids, on_turn))
                peaks.append(reports[-1].peak_memory_kib)
                remaining = remaining[size:]
        measured = [script.reference for script in scripts[WARM_UP_CONVERSATIONS : WARM_UP_CONVERSATIONS + sum(sizes)]]
        problems = {name: log_problems(_read_from(path, offsets[name])) for name, path in logs.items()}
        mismatches = arrangement_mismatches(database, measured) if configuration.negotiates else {}
    return ConfigurationReport(
        configuration=configuration,
        levels=reports,
        peak_memory_kib={name: _max(peak.get(name) for peak in peaks) for name in pids},
        conversations=len(measured),
        mismatches=mismatches,
        seconds=round(time.monotonic() - started, 1),
        log_problems=problems,
    )


# ------------------------------------------------------------------------------------------------ rendering


def _fr(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


NOT_RUN = -1  # a server the configuration does not start (the floor has no action server)


def _mib(kib: int | None) -> str:
    if kib == NOT_RUN:
        return "—"
    return "?" if kib is None else f"{kib / 1024:.0f} Mo"


def table(reports: Sequence[ConfigurationReport], load_before: Sequence[float], load_after: Sequence[float]) -> str:
    """The French table printed on the terminal."""
    header = (
        f"  {'simult.':>7} {'conv.':>6} {'tours':>6} {'tours/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'err. tours':>10} {'sans accord':>11} {'mém. Rasa':>10} {'mém. actions':>12}"
    )
    lines: list[str] = []
    for report in reports:
        lines += ["", f"{report.configuration.label} — {report.configuration.model}", header]
        for level in report.levels:
            lines.append(
                f"  {level.concurrency:>7} {level.conversations:>6} {level.turns:>6} {_fr(level.turns_per_second):>8}"
                f" {_fr(level.p50_ms):>8} {_fr(level.p95_ms):>8} {_fr(level.p99_ms):>8} {level.turn_errors:>10}"
                f" {level.without_agreement if report.configuration.negotiates else '—':>11}"
                f" {_mib(level.peak_memory_kib.get('rasa')):>10}"
                f" {_mib(level.peak_memory_kib.get('actions', NOT_RUN)):>12}"
            )
        if report.configuration.negotiates:
            exact = report.conversations - len(report.mismatches)
            lines.append(
                f"  Base des dossiers : {exact}/{report.conversations} conversation(s) avec exactement un accord"
                + (
                    " ; écarts : "
                    + ", ".join(f"{ref} ({count})" for ref, count in sorted(report.mismatches.items())[:10])
                    if report.mismatches
                    else "."
                )
            )
        else:
            lines.append("  Plancher : conversations de politesse, réponses seules (ni action, ni dossier, ni entité).")
        lines.append(
            f"  Pic mémoire sur toute la mesure : Rasa {_mib(report.peak_memory_kib.get('rasa'))},"
            f" actions {_mib(report.peak_memory_kib.get('actions', NOT_RUN))} ; durée {_fr(report.seconds, 0)} s."
        )
        for level in report.levels:
            for failure in level.failures[:2]:
                lines.append(f"  ! {level.concurrency} simult., {failure['reference']} : {failure['reason']}")
        for name, problems in report.log_problems.items():
            lines += [f"  journal {name} : {problem}" for problem in problems[:3]]
    lines.append("")
    lines.append(
        "Charge moyenne de la machine (1, 5, 15 min) : avant "
        + " / ".join(_fr(value, 2) for value in load_before)
        + ", après "
        + " / ".join(_fr(value, 2) for value in load_after)
        + f" ({os.cpu_count()} cœurs)."
    )
    return "\n".join(lines)


def latency_plot(reports: Sequence[ConfigurationReport], path: Path) -> Path:
    """p50/p95/p99 latency against concurrency, one colour per configuration (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    styles = (("p50_ms", "p50", "-", "o"), ("p95_ms", "p95", "--", "s"), ("p99_ms", "p99", ":", "^"))
    colours = ("tab:blue", "tab:orange", "tab:green", "tab:red")
    figure, axes = plt.subplots(figsize=(8, 5))
    levels: set[int] = set()
    for index, report in enumerate(reports):
        xs = [level.concurrency for level in report.levels]
        levels.update(xs)
        for attribute, name, line, marker in styles:
            ys = [max(getattr(level, attribute), 0.1) for level in report.levels]
            axes.plot(
                xs,
                ys,
                linestyle=line,
                marker=marker,
                color=colours[index % len(colours)],
                label=f"{report.configuration.label} — {name}",
            )
    if levels and max(levels) / min(levels) >= 10:
        axes.set_xscale("log")
    axes.set_yscale("log")
    ticks = sorted(levels)
    axes.set_xticks(ticks, [str(tick) for tick in ticks])
    axes.set_xlabel("conversations simultanées")
    axes.set_ylabel("latence d'un tour (ms, échelle log)")
    axes.set_title("Canal REST : latence d'un tour de négociation selon la charge")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path
