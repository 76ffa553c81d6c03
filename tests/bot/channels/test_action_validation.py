"""Action server answers are validated as Rasa does, without re-checking the schema on every call."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot.channels import action_validation


@pytest.fixture
def action() -> RemoteAction:
    action_validation.install()
    return RemoteAction("action_essai", EndpointConfig("http://127.0.0.1:1/webhook"))


def test_a_valid_answer_passes(action: RemoteAction) -> None:
    answer = {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "Bonjour"}]}
    assert action._validate_action_result(answer) is True


@pytest.mark.parametrize(
    "answer",
    [
        {"events": "pas une liste"},
        {"events": [{"event": "slot_inconnu"}]},
        {"responses": "pas une liste"},
        {"events": [{"pas": "d'event"}]},
    ],
)
def test_an_invalid_answer_is_refused_with_rasas_message(action: RemoteAction, answer: dict) -> None:
    with pytest.raises(ValidationError) as refused:
        action._validate_action_result(answer)
    assert "Failed to validate Action server response" in refused.value.message


def test_the_schema_is_checked_once(action: RemoteAction, monkeypatch: pytest.MonkeyPatch) -> None:
    validator = action_validation.response_validator()
    calls: list[object] = []
    monkeypatch.setattr(type(validator), "check_schema", classmethod(lambda cls, schema: calls.append(schema)))
    for _ in range(3):
        action._validate_action_result({"events": [], "responses": []})
    assert calls == [] and action_validation.response_validator() is validator
