"""Rasa 3.6 checks every action server answer with `jsonschema.validate(answer, schema)`, which first checks the
schema itself against the JSON Schema 2020-12 meta-schema: about 0.1 s of CPU per custom action call with the
jsonschema 4.17 Rasa allows — most of a conversation turn (measured: 1.8 s of 2.6 s for one 8-turn negotiation).
The schema never changes, so it is checked once and its validator kept; every answer is still validated the
same way, with Rasa's own error message when it is not valid.

Installed when the REST channel is loaded (credentials.yml), i.e. in every Rasa server of this project.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_INSTALLED = "_amiable_validator_cached"


@lru_cache(maxsize=1)
def response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)  # the class `jsonschema.validate` picks: same rules as Rasa's check
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    try:
        response_validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the Action "
            f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error


def install() -> None:
    """Replaces `RemoteAction._validate_action_result` once per process (idempotent)."""
    if getattr(RemoteAction, _INSTALLED, False):
        return
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    setattr(RemoteAction, _INSTALLED, True)
