"""The simulated debtor: reads each line of the trainee (agent-act classifier + compliance check) and answers in the
persona's words, with a tension from 0 to 10 that listening lowers and pressure raises.

Rules (the scenario gives the figures and the lines):

- reformulations and empathy lower the tension and unlock hidden facts (the debtor volunteers the story);
- open questions reveal a fact not yet revealed, the one the question is about when its topic is clear
  (reason, income, charges, pay day, what is bearable, or a scenario's own facts);
- closed questions get short answers (a short fact only when the debtor is calm);
- pressure (act `pression` or any compliance finding) raises the tension; at high tension the debtor hangs up;
- a proposal (act `proposition`, or an amount per month / a one-off payment named) within the hidden bearable
  amount is accepted; above it, it is refused with a reason drawn from the facts;
- gates: a debtor who needs verification reveals nothing and pays nothing before the agent has given enough
  verifiable information; a vulnerable debtor takes any talk of payment before the agent acknowledged the
  vulnerability as pressure; a hand-over scenario accepts a kind hand-over (call-back, pause), never a plan.

No line is said twice in a session (see `lines.LinePicker`); everything is deterministic given the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Protocol

from bot.compliance.check import Finding, check_text
from bot.roleplay.cues import Proposal, matches, proposal_in, talks_payment, topic_scores
from bot.roleplay.lines import LinePicker, placeholders, render, spoken_euros
from bot.roleplay.scenario import Scenario, band_of

LISTENING = ("reformulation", "empathie")
PRESSURE = "pression"
ACT_TENSION = {"reformulation": -2, "empathie": -1, PRESSURE: 3}
PRESSURE_TENSION = 3  # a compliance finding in a line the classifier did not call pressure
FINDINGS_EXTRA = 1  # pressure that the compliance check also flags (threat, shaming, invented fee)
CALMING, ESCALATING, ESCALATING_WORDS = 1, 1, 2
CLOSED_STREAK = 3  # from the third closed question in a row, each one irritates a little
VERIFIED_RELIEF, MARKER_RELIEF = 2, 1
PREMATURE = 1
MAX_TENSION = 10
OUTCOMES = ("agreement", "refused", "handover", "hung_up")


class RolePlayError(RuntimeError):
    """A role-play used the wrong way (empty line, conversation already over)."""


class ActPredictionLike(Protocol):
    act: str
    confidence: float


class Classifier(Protocol):
    def predict(self, text: str) -> ActPredictionLike: ...


@lru_cache(maxsize=1)
def default_classifier() -> Classifier:
    from bot.assist import load_classifier

    return load_classifier()


@dataclass(frozen=True)
class Agreement:
    monthly: Decimal
    months: int
    lump_sum: bool

    @property
    def total(self) -> Decimal:
        return self.monthly * self.months


@dataclass(frozen=True)
class AgentTurn:
    """One exchange as the debtor lived it: the trainee's line, how it was read, and the answer."""

    agent_text: str
    act: str
    confidence: float
    findings: tuple[Finding, ...]
    pressure: bool
    proposal: Proposal | None
    tension_before: int
    tension_after: int
    reply: str
    kind: str  # reaction, revelation, short_fact, withhold, verification, too_soon, ask_amount, acceptance, ...
    facts_revealed: tuple[str, ...]
    outcome: str | None


@dataclass(frozen=True)
class DebtorReply:
    text: str
    act: str
    tension: int
    facts_revealed: tuple[str, ...]
    ended: bool
    outcome: str | None
    emotion: str
    kind: str


@dataclass
class DebtorState:
    tension: int
    emotion: str
    revealed: list[str] = field(default_factory=list)
    listening_turns: int = 0
    closed_streak: int = 0
    refusals: int = 0
    markers_given: set[str] = field(default_factory=set)  # verification markers the agent gave
    acknowledged: bool = False
    agreement: Agreement | None = None
    ended: bool = False
    outcome: str | None = None
    opening: str | None = None
    history: list[AgentTurn] = field(default_factory=list)

    @property
    def agreement_monthly(self) -> Decimal | None:
        return self.agreement.monthly if self.agreement else None

    @property
    def agreement_months(self) -> int | None:
        return self.agreement.months if self.agreement else None


def _joined(segments: list[str]) -> str:
    """The segments of a reply as one text (a segment without final punctuation gets a full stop: sms style)."""
    text = ""
    for segment in segments:
        if text and text[-1] not in ".!?…":
            text += "."
        text = f"{text} {segment}" if text else segment
    return text


@dataclass
class _Answer:
    kind: str
    segments: list[str] = field(default_factory=list)
    revealed: list[str] = field(default_factory=list)
    outcome: str | None = None


class SimulatedDebtor:
    def __init__(self, scenario: Scenario, classifier: Classifier | None = None, seed: int = 0) -> None:
        self.scenario = scenario
        self.classifier = classifier if classifier is not None else default_classifier()
        self.seed = seed
        self.picker = LinePicker(random.Random(f"{scenario.id}:{seed}"))
        self.state = DebtorState(tension=scenario.emotion.intensity, emotion=scenario.emotion.start)
        self._values = scenario.values()
        self._topics = {name: scenario.discovery_of(name).keywords for name in scenario.fact_names}

    # ------------------------------------------------------------------ public

    def opening(self) -> str:
        if self.state.opening is None:
            answer = _Answer("opening")
            self._say(answer, self.scenario.lines.openings)
            for fact in self.scenario.opening_reveals:  # the opening lines tell these facts themselves
                self._mark(fact, answer)
            self.state.opening = _joined(answer.segments)
        return self.state.opening

    def respond(self, agent_text: str) -> DebtorReply:
        text = agent_text.strip()
        if not text:
            raise RolePlayError("message vide : écrivez ce que vous dites au débiteur")
        if self.state.ended:
            raise RolePlayError("la conversation est terminée")
        self.opening()
        prediction = self.classifier.predict(text)
        act = prediction.act
        findings = tuple(check_text(text))
        pressure = act == PRESSURE or bool(findings)
        before = self.state.tension
        self.state.closed_streak = self.state.closed_streak + 1 if act == "question_fermee" else 0
        if act in LISTENING and not pressure:
            self.state.listening_turns += 1
        delta = self._reaction_delta(act, text, findings, pressure)
        new_markers, newly_verified = self._note_verification(text)
        delta -= VERIFIED_RELIEF if newly_verified else MARKER_RELIEF if new_markers else 0
        self._note_acknowledgement(act, text, pressure)
        proposal = proposal_in(text, self.scenario.case.amount_due)
        route, route_delta = self._route(act, text, pressure, proposal, new_markers, newly_verified)
        self.state.tension = max(0, min(MAX_TENSION, before + delta + route_delta))
        if (pressure and self.state.tension >= self.scenario.hang_up_at) or self.state.tension >= MAX_TENSION:
            route = "hang_up"
        answer = self._answer(route, act, text, proposal)
        self._finish(answer)
        reply = _joined(answer.segments)
        self.state.history.append(
            AgentTurn(
                agent_text=text,
                act=act,
                confidence=float(prediction.confidence),
                findings=findings,
                pressure=pressure,
                proposal=proposal if proposal is not None and (proposal.explicit or act == "proposition") else None,
                tension_before=before,
                tension_after=self.state.tension,
                reply=reply,
                kind=answer.kind,
                facts_revealed=tuple(answer.revealed),
                outcome=answer.outcome,
            )
        )
        return DebtorReply(
            text=reply,
            act=act,
            tension=self.state.tension,
            facts_revealed=tuple(answer.revealed),
            ended=self.state.ended,
            outcome=self.state.outcome,
            emotion=self.state.emotion,
            kind=answer.kind,
        )

    @property
    def verified(self) -> bool:
        check = self.scenario.verification
        return check is None or len(self.state.markers_given) >= check.required

    # ------------------------------------------------------------------ reading the trainee

    def _reaction_delta(self, act: str, text: str, findings: tuple[Finding, ...], pressure: bool) -> int:
        scenario = self.scenario
        delta = ACT_TENSION.get(act, 0)
        if pressure:
            delta = ACT_TENSION[PRESSURE] + (FINDINGS_EXTRA if findings else 0) if act == PRESSURE else PRESSURE_TENSION
        else:
            if act in scenario.calmed_by.acts:
                delta -= CALMING
            if matches(text, scenario.calmed_by.keywords):
                delta -= CALMING
        if act in scenario.escalated_by.acts:
            delta += ESCALATING
        if matches(text, scenario.escalated_by.keywords):
            delta += ESCALATING_WORDS
        if self.state.closed_streak >= CLOSED_STREAK:
            delta += 1
        return delta

    def _note_verification(self, text: str) -> tuple[set[str], bool]:
        check = self.scenario.verification
        if check is None:
            return set(), False
        was_verified = self.verified
        found = {name for name, words in check.markers.items() if matches(text, words)} - self.state.markers_given
        self.state.markers_given |= found
        return found, not was_verified and self.verified

    def _note_acknowledgement(self, act: str, text: str, pressure: bool) -> None:
        vulnerability = self.scenario.vulnerability
        if vulnerability is None or pressure:
            return
        if act in vulnerability.acknowledged_by.acts or matches(text, vulnerability.acknowledged_by.keywords):
            self.state.acknowledged = True

    def _acknowledged(self) -> bool:
        return self.scenario.vulnerability is None or self.state.acknowledged

    def _route(
        self, act: str, text: str, pressure: bool, proposal: Proposal | None, new_markers: set[str], newly: bool
    ) -> tuple[str, int]:
        """How the debtor will answer, and what that decision adds to the tension."""
        scenario = self.scenario
        if pressure:
            return "pressure", 0
        named = proposal is not None and (proposal.explicit or act == "proposition")
        handover = scenario.success.kind == "handover" and bool(matches(text, scenario.success.handover_keywords))
        if handover and not (named and proposal is not None and proposal.explicit):
            return ("handover", 0) if self._acknowledged() else ("too_soon", PREMATURE)
        if named or (act == "proposition" and talks_payment(text)):
            return self._payment_route(proposal if named else None)
        if newly:
            return "verification", 0
        if new_markers:
            return "withhold", 0
        if act == "question_ouverte":
            return "open", 0
        if act == "question_fermee":
            return "closed", 0
        if act in LISTENING:
            return "listening", 0
        return "reaction", 0

    def _payment_route(self, proposal: Proposal | None) -> tuple[str, int]:
        scenario, state = self.scenario, self.state
        penalty = scenario.vulnerability.proposal_penalty if scenario.vulnerability else PREMATURE
        if not self._acknowledged():
            return "too_soon", penalty
        if scenario.success.kind == "handover":
            return "too_soon", PREMATURE
        if not self.verified:
            return "too_soon", PREMATURE
        if proposal is None:
            return "ask_amount", 0
        if proposal.monthly > scenario.hidden_facts.bearable_monthly_amount:
            state.refusals += 1
            return "refusal", PREMATURE
        if any(fact not in state.revealed for fact in scenario.success.requires_revealed):
            return "too_soon", PREMATURE
        return "acceptance", 0

    # ------------------------------------------------------------------ answering

    def _answer(self, route: str, act: str, text: str, proposal: Proposal | None) -> _Answer:
        lines, band = self.scenario.lines, band_of(self.state.tension)
        fillers = lines.fillers.get(band, [])
        answer = _Answer(route)
        if route == "hang_up":
            self._say(answer, lines.hang_up)
            answer.outcome = "hung_up"
        elif route == "pressure":
            self._react(answer, PRESSURE, band)
        elif route == "handover" and band != "haut":
            self._say(answer, lines.handover_accept)
            answer.outcome = "handover"
        elif route in ("too_soon", "handover", "acceptance") and (route == "too_soon" or band == "haut"):
            answer.kind = "too_soon"
            self._say(answer, lines.too_soon, fillers)
        elif route == "acceptance" and proposal is not None:
            self._say(answer, lines.acceptance, extra=self._proposal_values(proposal))
            answer.outcome = "agreement"
            self.state.agreement = Agreement(proposal.monthly, proposal.months, proposal.lump_sum)
        elif route == "refusal" and proposal is not None:
            final = self.state.refusals >= self.scenario.max_refusals
            pool = lines.final_refusal if final else lines.refusal
            self._say(answer, pool, extra=self._proposal_values(proposal))
            answer.outcome = "refused" if final else None
        elif route == "ask_amount":
            self._say(answer, lines.ask_amount, lines.reactions.get("proposition", {}).get(band, []), fillers)
        elif route == "verification":
            self._say(answer, lines.verification)
        elif route == "withhold":
            self._say(answer, lines.withhold, fillers)
        elif route == "open":
            self._open_question(answer, text, band)
        elif route == "closed":
            self._closed_question(answer, text, band)
        elif route == "listening":
            self._react(answer, act, band)
            if band != "haut" and self.verified:
                fact = self._volunteered_fact()
                if fact is not None:
                    answer.kind = "revelation"
                    self._reveal(fact, answer)
        else:
            self._react(answer, act, band)
        return answer

    def _open_question(self, answer: _Answer, text: str, band: str) -> None:
        if not self.verified:
            answer.kind = "withhold"
            self._say(answer, self.scenario.lines.withhold, self.scenario.lines.fillers.get(band, []))
            return
        if band == "haut":
            self._react(answer, "question_ouverte", band)
            return
        fact, locked = self._fact_asked(text, short=False)
        if fact is None:
            self._react(answer, "question_ouverte", band)
        elif locked:
            answer.kind = "withhold"
            self._say(answer, self.scenario.lines.withhold, self.scenario.lines.fillers.get(band, []))
        else:
            answer.kind = "revelation"
            self._reveal(fact, answer)

    def _closed_question(self, answer: _Answer, text: str, band: str) -> None:
        fact, locked = self._fact_asked(text, short=True) if band == "bas" and self.verified else (None, False)
        if fact is not None and not locked:
            answer.kind = "short_fact"
            self._say(answer, self.scenario.lines.short_facts[fact])
            self._mark(fact, answer)
        else:
            answer.kind = "short_answer"
            self._react(answer, "question_fermee", band)

    def _fact_asked(self, text: str, *, short: bool) -> tuple[str | None, bool]:
        """The fact a question is about (or the next one to tell), and whether it is still locked."""
        scenario, revealed = self.scenario, self.state.revealed
        order = scenario.order
        scores = topic_scores(text, self._topics)
        for fact in sorted(scores, key=lambda name: (-scores[name], order.index(name))):
            if fact in revealed:
                continue
            if short and fact not in scenario.lines.short_facts:
                return None, False
            return fact, self._locked(fact)
        if short:
            return None, False
        pending = [fact for fact in order if fact not in revealed]
        unlocked = [fact for fact in pending if not self._locked(fact)]
        if unlocked:
            return unlocked[0], False
        return (pending[0], True) if pending else (None, False)

    def _volunteered_fact(self) -> str | None:
        for fact in self.scenario.order:
            if fact not in self.state.revealed and self.scenario.volunteered(fact) and not self._locked(fact):
                return fact
        return None

    def _locked(self, fact: str) -> bool:
        return self.scenario.discovery_of(fact).requires_listening > self.state.listening_turns

    def _react(self, answer: _Answer, act: str, band: str) -> None:
        lines = self.scenario.lines
        self._say(answer, lines.reactions.get(act, {}).get(band, []), lines.fillers.get(band, []))

    def _reveal(self, fact: str, answer: _Answer) -> None:
        if fact in self.state.revealed:
            return
        self._say(answer, self.scenario.lines.facts[fact])
        self._mark(fact, answer)

    def _say(self, answer: _Answer, *chain: list[str], extra: dict[str, str] | None = None) -> None:
        line = self.picker.pick(chain)
        for name in placeholders(line):
            if name in self.scenario.fact_names:
                self._mark(name, answer)
        answer.segments.append(render(line, {**self._values, **(extra or {})}))

    def _mark(self, fact: str, answer: _Answer) -> None:
        if fact not in self.state.revealed:
            self.state.revealed.append(fact)
            answer.revealed.append(fact)

    def _proposal_values(self, proposal: Proposal) -> dict[str, str]:
        monthly = spoken_euros(proposal.monthly)
        offer = f"{monthly} en une fois" if proposal.lump_sum else f"{monthly} par mois"
        return {"monthly": monthly, "months": str(proposal.months), "offer": offer}

    def _finish(self, answer: _Answer) -> None:
        state, emotion = self.state, self.scenario.emotion
        if answer.outcome is not None:
            state.ended, state.outcome = True, answer.outcome
        if state.outcome in ("agreement", "handover"):
            state.emotion = "soulagement"
        elif state.tension <= 3:
            state.emotion = emotion.calm
        elif state.tension >= 7 and emotion.escalated:
            state.emotion = emotion.escalated
        else:
            state.emotion = emotion.start
