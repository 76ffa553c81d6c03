"""`amiable`: one command line for every job (setup checks, training, running, cases, ...)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from bot.cli import cases, doctor, evaluate, options, payments, rasa_jobs, reflect, report, roleplay, tasks


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="amiable",
        description="Amiable — assistant de recouvrement amiable (Rasa Open Source 3.6).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMANDE", required=True)
    doctor.register(commands)
    rasa_jobs.register(commands)
    cases.register(commands)
    evaluate.register(commands)
    options.register(commands)
    payments.register(commands)
    reflect.register(commands)
    report.register(commands)
    roleplay.register(commands)
    tasks.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")  # nothing leaves the machine
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        return int(arguments.handler(arguments) or 0)
    except KeyboardInterrupt:
        print("\nInterrompu.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
