"""A role-play session: opening, turns, end, transcript."""

from __future__ import annotations

import pytest

from bot.roleplay import RolePlayError, RolePlaySession, Transcript, get_scenario
from tests.bot.roleplay.conftest import FixedClassifier

OFFER = "Je vous propose de régler les 74,90 € en une fois."


def session(seed: int = 0) -> RolePlaySession:
    classifier = FixedClassifier({OFFER: "proposition", "Bonjour.": "autre"})
    return RolePlaySession(get_scenario("oubli"), classifier=classifier, seed=seed)


def test_a_session_from_opening_to_agreement() -> None:
    play = session()
    opening = play.start()
    assert play.start() == opening  # said once
    assert not play.finished and play.outcome is None and not play.succeeded
    play.agent_says("Bonjour.")
    reply = play.agent_says(OFFER)
    assert reply.outcome == "agreement" and play.finished and play.succeeded
    assert [turn["speaker"] for turn in play.transcript] == ["debtor", "agent", "debtor", "agent", "debtor"]
    assert play.transcript[0]["text"] == opening and play.transcript[-1]["text"] == reply.text
    with pytest.raises(RolePlayError, match="terminée"):
        play.agent_says("Merci !")


def test_the_trainee_can_stop() -> None:
    play = session()
    play.agent_says("Bonjour.")  # starts the conversation on its own
    play.stop()
    assert play.finished and play.outcome is None and not play.succeeded
    assert len(play.transcript) == 3


def test_as_transcript() -> None:
    play = session(seed=3)
    play.start()
    play.agent_says("Bonjour.")
    transcript = play.as_transcript()
    assert isinstance(transcript, Transcript)
    assert (transcript.id, transcript.scenario) == ("oubli-3", "oubli")
    assert [turn.as_dict() for turn in transcript.turns] == play.transcript
    assert [turn.text for turn in transcript.agent_turns] == ["Bonjour."]
    assert play.as_transcript("essai").id == "essai"


def test_same_seed_same_session() -> None:
    def run(seed: int) -> list[dict[str, str]]:
        play = session(seed)
        play.start()
        play.agent_says("Bonjour.")
        play.agent_says(OFFER)
        return play.transcript

    assert run(2) == run(2)
    assert len({tuple(turn["text"] for turn in run(seed)) for seed in range(6)}) > 1
