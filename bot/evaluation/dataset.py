"""Reads evaluation data: Rasa NLU YAML 3.1 with `metadata: {emotion: …}` and inline entity values."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

INLINE_ENTITY = re.compile(r"\[(?P<text>[^\]]+)\](?P<json>\{[^}]*\}|\((?P<short>[^)]+)\))")


@dataclass(frozen=True)
class GoldEntity:
    entity: str
    text: str
    value: str


@dataclass
class Example:
    text: str
    intent: str
    emotion: str | None
    entities: list[GoldEntity] = field(default_factory=list)


class DatasetError(ValueError):
    """The evaluation file cannot be read; the message says where and why, in French."""


def parse_annotated(annotated: str) -> tuple[str, list[GoldEntity]]:
    """ "je paie [50 €]{"entity": "montant", "value": "50.00"}" → plain text and its entities."""
    plain, entities, last = "", [], 0
    for match in INLINE_ENTITY.finditer(annotated):
        plain += annotated[last : match.start()] + match.group("text")
        last = match.end()
        if match.group("short"):
            entity, value = match.group("short"), match.group("text")
        else:
            try:
                data = json.loads(match.group("json"))
            except json.JSONDecodeError as error:
                raise DatasetError(f"annotation d'entité illisible {match.group('json')!r} : {error.msg}") from None
            entity, value = data.get("entity"), str(data.get("value", match.group("text")))
        entities.append(GoldEntity(str(entity), match.group("text"), value))
    return plain + annotated[last:], entities


def load_examples(path: Path) -> list[Example]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise DatasetError(f"{path} : lecture impossible ({error})") from None
    except yaml.YAMLError as error:
        raise DatasetError(f"{path} : YAML invalide ({error})") from None
    if not isinstance(document, dict) or not isinstance(document.get("nlu"), list):
        raise DatasetError(f"{path} : une liste « nlu: » est attendue (format Rasa NLU YAML 3.1)")
    examples = []
    for number, block in enumerate(document["nlu"], 1):
        if not isinstance(block, dict) or "intent" not in block:
            continue
        raw = block.get("examples")
        items: list = (
            raw
            if isinstance(raw, list)
            else [{"text": line[2:]} for line in str(raw or "").splitlines() if line.startswith("- ")]
        )
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise DatasetError(f"{path} : bloc {number} ({block['intent']}) : exemple sans « text »")
            text, entities = parse_annotated(item["text"].strip())
            emotion = (item.get("metadata") or {}).get("emotion")
            examples.append(Example(text, str(block["intent"]), emotion, entities))
    if not examples:
        raise DatasetError(f"{path} : aucun exemple d'intention")
    return examples
