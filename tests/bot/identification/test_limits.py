from __future__ import annotations

import pytest

from bot.compliance.check import check_text
from bot.identification import too_long
from bot.identification.limits import TOO_LONG
from bot.settings import MAX_MESSAGE_CHARS


@pytest.fixture(autouse=True)
def _default_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AMIABLE_MAX_MESSAGE_CHARS", raising=False)


def test_a_message_up_to_the_limit_is_read() -> None:
    assert MAX_MESSAGE_CHARS == 1000
    assert too_long("Bonjour, je voudrais payer en plusieurs fois.") is None
    assert too_long("é" * 1000) is None  # characters, not bytes (2000 bytes in UTF-8)
    assert too_long("  " + "a" * 1000 + "\n\n") is None  # surrounding spaces do not count
    assert too_long("") is None and too_long(None) is None


def test_a_longer_message_gets_the_polite_answer() -> None:
    answer = too_long("a" * 1001)
    assert answer == "Votre message est un peu long pour moi : pouvez-vous le résumer en quelques phrases ?"
    assert too_long("mot " * 400) == answer


def test_the_limit_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMIABLE_MAX_MESSAGE_CHARS", "20")
    assert too_long("a" * 20) is None
    assert too_long("a" * 21) == TOO_LONG
    monkeypatch.setenv("AMIABLE_MAX_MESSAGE_CHARS", "beaucoup")
    with pytest.raises(ValueError, match="AMIABLE_MAX_MESSAGE_CHARS"):
        too_long("a")


def test_the_answer_is_compliant() -> None:
    assert check_text(TOO_LONG) == []
