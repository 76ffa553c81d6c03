"""Reading a role-play YAML file (scenario, transcripts) with French errors that name the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 20 times faster


def read_yaml(path: Path, source: str, error: type[ValueError]) -> Any:
    """The parsed content of `path`; `error(message)` naming `source` when it is missing, not UTF-8 or not YAML."""
    if not path.is_file():
        raise error(f"{source}: fichier introuvable")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except UnicodeDecodeError:
        raise error(f"{source}: le fichier n'est pas un texte UTF-8") from None
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        where = f" (ligne {mark.line + 1})" if mark is not None else ""
        raise error(f"{source}: YAML invalide{where} : {getattr(problem, 'problem', problem)}") from None
