"""`amiable reflect TEXT` / `amiable reflect --file FILE`: the active-listening reply to debtor messages."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

DEFAULT_MODEL = Path("models") / "amiable.tar.gz"
NO_MODEL = "Aucun modèle entraîné : lancez `amiable train`."


def register(commands: argparse._SubParsersAction) -> None:
    reflect = commands.add_parser(
        "reflect",
        help="reformulation, empathie et question ouverte pour un message de débiteur",
        description=(
            "Analyse chaque message avec le modèle entraîné (intention, émotion, entités) puis propose une "
            "reformulation, une phrase d'empathie et une question ouverte. Chaque message est traité seul."
        ),
    )
    reflect.add_argument("text", nargs="?", metavar="TEXTE", help="le message du débiteur")
    reflect.add_argument("--file", type=Path, metavar="FICHIER", help="un message par ligne (lignes vides ignorées)")
    reflect.add_argument("--json", action="store_true", help="JSON : un objet (TEXTE) ou une liste (--file)")
    reflect.add_argument("--model", type=Path, default=DEFAULT_MODEL, help=f"modèle Rasa (défaut : {DEFAULT_MODEL})")
    reflect.add_argument(
        "--today",
        type=date.fromisoformat,
        default=date.today(),
        metavar="AAAA-MM-JJ",
        help="date de référence des dates relatives (défaut : aujourd'hui)",
    )
    reflect.set_defaults(handler=_reflect)


def _messages(arguments: argparse.Namespace) -> list[str] | str:
    """The messages to reflect, or a French error message."""
    if (arguments.text is None) == (arguments.file is None):
        return "Donnez soit un TEXTE, soit --file FICHIER (un message par ligne)."
    if arguments.file is None:
        text = arguments.text.strip()
        return [text] if text else "Le message est vide."
    path: Path = arguments.file
    if not path.is_file():
        return f"Fichier introuvable : {path}"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        return f"Le fichier {path} n'est pas un texte UTF-8."
    messages = [line.strip() for line in lines if line.strip()]
    return messages or f"Le fichier {path} ne contient aucun message."


def reflect_messages(messages: list[str], parse: Callable[[str], dict[str, Any]]) -> list[dict[str, Any]]:
    """The listening reply of each message, in order (each message on its own, no shared history)."""
    from bot.listening import listen

    return [listen(text, parse(text)).as_dict() for text in messages]


def _print_human(replies: list[dict[str, Any]]) -> None:
    for number, reply in enumerate(replies):
        if number:
            print()
        print(f"« {reply['text']} »")
        print(f"  émotion : {reply['emotion']}")
        kind = f" ({reply['kind']})" if reply["kind"] else ""
        print(f"  reformulation{kind} : {reply['reformulation'] or '—'}")
        print(f"  empathie : {reply['empathy'] or '—'}")
        print(f"  question ouverte : {reply['open_question'] or '—'}")


def _reflect(arguments: argparse.Namespace) -> int:
    messages = _messages(arguments)
    if isinstance(messages, str):
        print(messages, file=sys.stderr)
        return 2
    if not arguments.model.is_file():
        print(NO_MODEL, file=sys.stderr)
        return 2
    from bot.evaluation.nlu import load_parser

    print(f"Chargement du modèle {arguments.model}…", file=sys.stderr, flush=True)
    parse = load_parser(arguments.model, arguments.today)
    replies = reflect_messages(messages, parse)
    if arguments.json:
        payload: Any = replies if arguments.file is not None else replies[0]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _print_human(replies)
    return 0
