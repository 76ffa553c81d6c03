"""The whole reflection set (tests/data/reflection_set.yml): ≥ 95 % of reformulations must keep the key content,
contain every expected second-person form and no first-person form referring to the debtor."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.listening import Reformulation, reformulate

SET = Path("tests") / "data" / "reflection_set.yml"
REQUIRED_RATE = 0.95
MAX_CONTENT_WORDS = 32  # ~25 words of the debtor's content, plus a frame such as "vous avez le sentiment que"

# The bot speaking, written here independently of the engine: the only place a reformulation may say
# "je" or "me". Anything else in the first person singular refers to the debtor and is a failure.
ALLOWED_LEAD_INS = (
    "Si je comprends bien, ",
    "Autrement dit, ",
    "Si je vous suis bien, ",
    "Si je vous ai bien compris, ",
    "D'après ce que vous me dites, ",
    "Vous me dites que ",
    "Vous me dites qu'",
    "Vous m'expliquez que ",
    "Vous m'expliquez qu'",
    "Vous m'indiquez que ",
    "Vous m'indiquez qu'",
)
FIRST_PERSON = re.compile(
    r"(?<![\wÀ-ÿ'’-])(je|j'|me|m'|moi|moi-même|mon|ma|mes|mien|mienne|miens|miennes)(?![\wÀ-ÿ'’])", re.IGNORECASE
)


def _messages() -> list[dict[str, Any]]:
    return yaml.safe_load(SET.read_text(encoding="utf-8"))["messages"]


def debtor_first_person(text: str) -> list[str]:
    """First-person forms outside the bot's own lead-in (the lead-in is stripped only at the start)."""
    for lead_in in sorted(ALLOWED_LEAD_INS, key=len, reverse=True):
        if text.startswith(lead_in):
            text = text[len(lead_in) :]
            break
    return FIRST_PERSON.findall(text)


def problems(message: dict[str, Any], reflection: Reformulation | None) -> list[str]:
    if reflection is None:
        return ["no reformulation"]
    text = reflection.text
    lowered = text.lower()
    found = [f"missing key content {k!r}" for k in message.get("keep", []) if k.lower() not in lowered]
    found += [f"missing form {k!r}" for k in message.get("expect", []) if k.lower() not in lowered]
    found += [f"forbidden form {k!r}" for k in message.get("forbid", []) if k.lower() in lowered]
    found += [f"first person {w!r}" for w in debtor_first_person(text)]
    if len(reflection.content.split()) > MAX_CONTENT_WORDS:
        found.append(f"not condensed ({len(reflection.content.split())} words)")
    return found


def _parse(message: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": message["text"],
        "intent": {"name": message["intent"], "confidence": 0.9},
        "entities": [],
        "emotion": {"name": message["emotion"], "confidence": 0.8},
    }


def test_the_set_is_large_and_varied() -> None:
    messages = _messages()
    assert len(messages) >= 150
    assert len({m["text"] for m in messages}) == len(messages), "duplicate messages"
    tags = Counter(tag for m in messages for tag in m.get("tags", []))
    for tag in ("present", "passe-compose", "imparfait", "plus-que-parfait", "futur", "conditionnel", "subjonctif"):
        assert tags[tag] >= 5, tag
    for tag in ("sms", "accents", "familiar", "long", "short", "question", "second-person", "imperative"):
        assert tags[tag] >= 5, tag
    for pronoun in ("je", "j'", "me", "m'", "moi", "mon", "ma", "mes", "moi-meme"):
        assert tags[pronoun] >= 1, pronoun
    assert all(m["expect"] for m in messages), "every message names the switched forms it expects"


def test_the_checker_catches_bad_reformulations() -> None:
    """The check itself: echoing the debtor, a wrong verb or a lost figure is caught."""
    message = {"keep": ["septembre", "emploi"], "expect": ["vous avez perdu"], "forbid": []}

    def reflection(text: str) -> Reformulation:
        return Reformulation(text=text, kind="simple", lead_in="", content=text)

    good = "Si je comprends bien, vous avez perdu votre emploi en septembre."
    assert problems(message, reflection(good)) == []
    assert problems(message, reflection("Si je comprends bien, vous avez perdu mon emploi en septembre."))
    assert problems(message, reflection("Si je comprends bien, vous ai perdu votre emploi en septembre."))
    assert problems(message, reflection("Si je comprends bien, vous avez perdu votre emploi."))
    assert problems(message, reflection("Vous me dites que j'ai perdu mon emploi en septembre."))
    assert debtor_first_person("Vous me dites que je vous harcèle.") == ["je"]
    assert debtor_first_person("Si je comprends bien, vous vous sentez seule.") == []


def test_reformulations_of_the_whole_set(capsys: pytest.CaptureFixture[str]) -> None:
    messages = _messages()
    failures = []
    for message in messages:
        found = problems(message, reformulate(message["text"], _parse(message)))
        if found:
            failures.append((message["text"], found))
    rate = 1 - len(failures) / len(messages)
    with capsys.disabled():
        print(f"\nreflection set: {len(messages) - len(failures)}/{len(messages)} correct ({rate:.1%})")
        for text, found in failures:
            print(f"  {text!r}: {'; '.join(found)}")
    assert rate >= REQUIRED_RATE, failures


def test_both_kinds_and_varied_lead_ins() -> None:
    reflections = [reformulate(m["text"], _parse(m)) for m in _messages()[:60]]
    kinds = Counter(r.kind for r in reflections if r)
    assert kinds["simple"] >= 5 and kinds["complexe"] >= 5
    assert len({r.lead_in for r in reflections if r}) >= 5
