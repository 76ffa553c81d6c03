"""Role-play transcripts: turns of the agent (the trainee) and of the debtor, and the YAML file format.

A transcripts file is a YAML list of `{id, turns: [{speaker: agent|debtor, text}]}`; an item may also name its
`scenario`, and any other key of an item (a grade, notes) is kept in `meta`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.roleplay.yaml_file import read_yaml

SPEAKERS = ("agent", "debtor")


class TranscriptError(ValueError):
    """A transcripts file that cannot be read; the message (French) names the file, the item and the field."""


@dataclass(frozen=True)
class Turn:
    speaker: str  # "agent" | "debtor"
    text: str

    def __post_init__(self) -> None:
        if self.speaker not in SPEAKERS:
            raise ValueError(f"locuteur inconnu « {self.speaker} » : « agent » ou « debtor »")

    def as_dict(self) -> dict[str, str]:
        return {"speaker": self.speaker, "text": self.text}


@dataclass(frozen=True)
class Transcript:
    id: str
    turns: list[Turn]
    scenario: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def agent_turns(self) -> list[Turn]:
        return [turn for turn in self.turns if turn.speaker == "agent"]

    def as_dict(self) -> dict[str, Any]:
        item: dict[str, Any] = {"id": self.id}
        if self.scenario is not None:
            item["scenario"] = self.scenario
        item.update(self.meta)
        item["turns"] = [turn.as_dict() for turn in self.turns]
        return item

    @classmethod
    def from_dicts(cls, id: str, turns: Iterable[Mapping[str, str]], scenario: str | None = None) -> Transcript:
        return cls(id, [Turn(turn["speaker"], turn["text"]) for turn in turns], scenario)


def _parse_turn(where: str, index: int, raw: Any) -> Turn:
    place = f"{where}: tour {index + 1}"
    if not isinstance(raw, dict):
        raise TranscriptError(f"{place}: doit être un dictionnaire {{speaker, text}}")
    speaker, text = raw.get("speaker"), raw.get("text")
    if speaker not in SPEAKERS:
        shown = "manquant" if speaker is None else f"« {speaker} »"
        raise TranscriptError(f"{place}: speaker: doit valoir « agent » ou « debtor » ({shown})")
    if not isinstance(text, str) or not text.strip():
        raise TranscriptError(f"{place}: text: texte obligatoire et non vide")
    return Turn(speaker, text.strip())


def _parse_item(source: str, index: int, raw: Any, seen: set[str]) -> Transcript:
    where = f"{source}: élément {index + 1}"
    if not isinstance(raw, dict):
        raise TranscriptError(f"{where}: doit être un dictionnaire {{id, turns}}")
    identifier = raw.get("id")
    if isinstance(identifier, int) and not isinstance(identifier, bool):
        identifier = str(identifier)
    if not isinstance(identifier, str) or not identifier.strip():
        raise TranscriptError(f"{where}: id: identifiant obligatoire (texte non vide)")
    identifier = identifier.strip()
    where = f"{where} (id « {identifier} »)"
    if identifier in seen:
        raise TranscriptError(f"{where}: id: identifiant en double")
    seen.add(identifier)
    turns = raw.get("turns")
    if not isinstance(turns, list) or not turns:
        raise TranscriptError(f"{where}: turns: liste de tours obligatoire et non vide")
    scenario = raw.get("scenario")
    if scenario is not None and not isinstance(scenario, str):
        raise TranscriptError(f"{where}: scenario: doit être l'identifiant d'un scénario (texte)")
    meta = {key: value for key, value in raw.items() if key not in ("id", "turns", "scenario")}
    parsed = [_parse_turn(where, number, turn) for number, turn in enumerate(turns)]
    return Transcript(identifier, parsed, scenario, meta)


def parse_transcripts(data: Any, source: str) -> list[Transcript]:
    if not isinstance(data, list):
        raise TranscriptError(f"{source}: le fichier doit contenir une liste de transcriptions {{id, turns}}")
    seen: set[str] = set()
    return [_parse_item(source, index, raw, seen) for index, raw in enumerate(data)]


def load_transcripts(path: str | Path) -> list[Transcript]:
    """The transcripts of a YAML file; `TranscriptError` (French, naming the file, the item and the field)."""
    path = Path(path)
    data = read_yaml(path, str(path), TranscriptError)
    return parse_transcripts(data, str(path))
