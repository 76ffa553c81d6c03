"""The end-to-end test conversations of tests/stories, run with `rasa test core` on the trained model.

`rasa test core` replays each conversation's intents, slots and loop events through the dialogue policies and
checks every predicted action; it does not parse the debtor's texts. A second test parses them with the same
model's NLU, so that every `user:` text is read as the intent its conversation expects.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
STORIES = ROOT / "tests" / "stories"
MODEL = ROOT / "models" / "amiable.tar.gz"
MIN_CONVERSATIONS = 25
ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<entity>[a-z_]+)\)")


def _require_model() -> None:
    if not MODEL.is_file():
        pytest.fail("Modèle absent : lancez « make test » (qui entraîne) ou « amiable train ».")


def _stories() -> list[dict[str, Any]]:
    stories: list[dict[str, Any]] = []
    for path in sorted(STORIES.glob("*.yml")):
        stories += yaml.safe_load(path.read_text(encoding="utf-8")).get("stories") or []
    return stories


def _debtor_turns() -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """(story, plain text, expected intent, annotated entities) for every debtor message of the conversations."""
    turns = []
    for story in _stories():
        for step in story["steps"]:
            if "user" in step:
                raw = step["user"].strip()
                entities = [(match["entity"], match["text"]) for match in ANNOTATION.finditer(raw)]
                turns.append((story["story"], ANNOTATION.sub(r"\g<text>", raw), step["intent"], entities))
    return turns


def test_every_conversation_passes_rasa_test_core(tmp_path: Path) -> None:
    _require_model()
    out = tmp_path / "results"
    command = [
        sys.executable, "-m", "rasa", "test", "core",
        "--stories", str(STORIES),
        "--model", str(MODEL),
        "--out", str(out),
        "--fail-on-prediction-errors",
    ]  # fmt: skip
    environment = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    run = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)
    tail = "\n".join((run.stdout + run.stderr).splitlines()[-40:])
    assert run.returncode == 0, f"rasa test core a échoué :\n{tail}"

    failed = yaml.safe_load((out / "failed_test_stories.yml").read_text(encoding="utf-8")) or {}
    assert not failed.get("stories"), f"Conversations en échec : {[story['story'] for story in failed['stories']]}"
    report = json.loads((out / "story_report.json").read_text(encoding="utf-8"))["conversation_accuracy"]
    assert report["total"] == len(_stories()) >= MIN_CONVERSATIONS, report
    assert report["correct"] == report["total"], report


async def test_every_debtor_text_is_read_as_its_story_intent() -> None:
    _require_model()
    from rasa.core.agent import Agent

    agent = Agent.load(str(MODEL))
    misread = []
    for story, text, intent, entities in _debtor_turns():
        parse = await agent.parse_message(text)
        found = {(entity["entity"], text[entity["start"] : entity["end"]]) for entity in parse.get("entities") or []}
        predicted = parse["intent"]["name"]
        if predicted != intent or not set(entities) <= found:
            misread.append(f"{story} — « {text} » : {predicted} au lieu de {intent}, entités {sorted(found)}")
    assert not misread, "\n".join(misread)
