"""Role-play for trainers: the assistant plays a debtor from a scenario, the trainee plays the agent.

Entry point: `RolePlaySession(get_scenario("colere_frais")).start()`, then `agent_says(text)` until `finished`.
"""

from bot.roleplay.cues import Proposal
from bot.roleplay.debtor import (
    OUTCOMES,
    AgentTurn,
    Agreement,
    DebtorReply,
    DebtorState,
    RolePlayError,
    SimulatedDebtor,
)
from bot.roleplay.scenario import Scenario, ScenarioError, get_scenario, list_scenarios, load_scenario
from bot.roleplay.session import RolePlaySession
from bot.roleplay.transcript import Transcript, TranscriptError, Turn, load_transcripts

__all__ = [
    "OUTCOMES",
    "AgentTurn",
    "Agreement",
    "DebtorReply",
    "DebtorState",
    "Proposal",
    "RolePlayError",
    "RolePlaySession",
    "Scenario",
    "ScenarioError",
    "SimulatedDebtor",
    "Transcript",
    "TranscriptError",
    "Turn",
    "get_scenario",
    "list_scenarios",
    "load_scenario",
    "load_transcripts",
]
