"""A role-play session: the trainee (agent) talks to a simulated debtor until the conversation ends."""

from __future__ import annotations

from bot.roleplay.debtor import Classifier, DebtorReply, RolePlayError, SimulatedDebtor
from bot.roleplay.scenario import Scenario
from bot.roleplay.transcript import Transcript, Turn


class RolePlaySession:
    def __init__(self, scenario: Scenario, classifier: Classifier | None = None, seed: int = 0) -> None:
        self.scenario = scenario
        self.seed = seed
        self.debtor = SimulatedDebtor(scenario, classifier=classifier, seed=seed)
        self.turns: list[Turn] = []
        self.stopped = False

    def start(self) -> str:
        """The debtor's first line (said once; calling again returns it)."""
        if not self.turns:
            self.turns.append(Turn("debtor", self.debtor.opening()))
        return self.turns[0].text

    def agent_says(self, text: str) -> DebtorReply:
        if self.finished:
            raise RolePlayError("la conversation est terminée")
        self.start()
        reply = self.debtor.respond(text)
        self.turns.append(Turn("agent", text.strip()))
        self.turns.append(Turn("debtor", reply.text))
        return reply

    def stop(self) -> None:
        """The trainee ends the conversation ("/fin")."""
        self.stopped = True

    @property
    def finished(self) -> bool:
        return self.stopped or self.debtor.state.ended

    @property
    def outcome(self) -> str | None:
        """agreement, refused, handover or hung_up; None while the conversation has no outcome."""
        return self.debtor.state.outcome

    @property
    def succeeded(self) -> bool:
        """Whether the outcome is the scenario's success (an agreement is within the capacity by construction)."""
        state = self.debtor.state
        if self.scenario.success.kind == "handover":
            return state.outcome == "handover"
        bearable = self.scenario.hidden_facts.bearable_monthly_amount
        return state.outcome == "agreement" and state.agreement is not None and state.agreement.monthly <= bearable

    @property
    def transcript(self) -> list[dict[str, str]]:
        return [turn.as_dict() for turn in self.turns]

    def as_transcript(self, id: str | None = None) -> Transcript:
        return Transcript(id or f"{self.scenario.id}-{self.seed}", list(self.turns), self.scenario.id)
