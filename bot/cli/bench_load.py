"""`amiable bench load`: whole negotiations on the REST channel at 1, 10 and 50 concurrent conversations, for this
project's model and for Rasa's default configuration (the peer), in one run; with `--floor`, also the smallest Rasa
assistant (benchmarks/floor/), to tell what Rasa's own turn costs on this machine from what Amiable adds."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from bot.serving.loadtest import DEFAULT_CONVERSATIONS, DEFAULT_LEVELS, STEPS, Configuration, parse_levels

MODEL = Path("models") / "amiable.tar.gz"
PEER_MODEL = Path("models") / "rasa_default.tar.gz"
PEER_CONFIG = Path("benchmarks") / "pipelines" / "rasa_default.yml"
DEFAULT_PLOT = Path("reports") / "load.png"
FLOOR_PROJECT = Path("benchmarks") / "floor"
FLOOR_MODEL = Path("models") / "rasa_floor.tar.gz"
CONFIGURATION = Configuration("amiable", "Amiable", MODEL)
PEER = Configuration("rasa_default", "Rasa par défaut (DIET)", PEER_MODEL)
FLOOR = Configuration(
    "rasa_floor", "Plancher Rasa (assistant minimal)", FLOOR_MODEL, False, FLOOR_PROJECT / "credentials.yml"
)


def register(bench_kinds: argparse._SubParsersAction) -> None:
    load = bench_kinds.add_parser(
        "load",
        help="charge sur le canal REST : négociations complètes en parallèle, comparées à la configuration par défaut",
    )
    load.add_argument("--json", action="store_true", help="imprime un objet JSON (par configuration, par niveau)")
    load.add_argument(
        "--concurrency",
        default=",".join(map(str, DEFAULT_LEVELS)),
        help="conversations simultanées, séparées par des virgules (défaut 1,10,50)",
    )
    load.add_argument(
        "--conversations",
        type=int,
        default=DEFAULT_CONVERSATIONS,
        help=f"conversations par niveau, au moins une par conversation simultanée (défaut {DEFAULT_CONVERSATIONS})",
    )
    load.add_argument("--no-peer", action="store_true", help="ne mesure pas la configuration Rasa par défaut")
    load.add_argument(
        "--floor",
        action="store_true",
        help="mesure aussi le plancher : l'assistant Rasa minimal de benchmarks/floor (entraîné en quelques secondes)",
    )
    load.add_argument(
        "--plot", type=Path, default=DEFAULT_PLOT, metavar="FICHIER", help=f"image PNG (défaut {DEFAULT_PLOT})"
    )
    load.set_defaults(handler=_bench_load)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _turn_progress(level: int, done: int, planned: int) -> None:
    if done == planned or done % 20 == 0:
        end = "\n" if done == planned else ""
        print(f"\r  {done}/{planned} tours", end=end, file=sys.stderr, flush=True)


def _train_peer() -> bool:
    """Trains Rasa's default pipeline with `amiable train` (its output goes to stderr, stdout stays clean)."""
    _say(f"Modèle de comparaison absent : entraînement de {PEER_MODEL} ({PEER_CONFIG}, quelques minutes)…")
    command = [
        sys.executable,
        "-c",
        "import sys; from bot.cli import main; sys.exit(main())",
        "train",
        "--config",
        str(PEER_CONFIG),
        "--name",
        PEER_MODEL.name.removesuffix(".tar.gz"),
    ]
    result = subprocess.run(command, stdout=sys.stderr, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    return result.returncode == 0 and PEER_MODEL.is_file()


def _floor_is_current() -> bool:
    """Whether the floor model exists and is newer than every file of its project."""
    if not FLOOR_MODEL.is_file():
        return False
    built = FLOOR_MODEL.stat().st_mtime
    return all(path.stat().st_mtime <= built for path in FLOOR_PROJECT.rglob("*") if path.is_file())


def _train_floor() -> bool:
    """Trains the floor assistant when missing or older than its files (seconds), output on stderr."""
    if _floor_is_current():
        return True
    _say(f"Plancher : entraînement de {FLOOR_MODEL} ({FLOOR_PROJECT}, quelques secondes)…")
    command = [
        sys.executable,
        "-m",
        "rasa",
        "train",
        "--config",
        str(FLOOR_PROJECT / "config.yml"),
        "--domain",
        str(FLOOR_PROJECT / "domain.yml"),
        "--data",
        str(FLOOR_PROJECT / "data"),
        "--out",
        str(FLOOR_MODEL.parent),
        "--fixed-model-name",
        FLOOR_MODEL.name.removesuffix(".tar.gz"),
    ]
    environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false"}
    result = subprocess.run(command, stdout=sys.stderr, env=environment)
    return result.returncode == 0 and FLOOR_MODEL.is_file()


def _bench_load(arguments: argparse.Namespace) -> int:
    from bot.serving.loadtest import latency_plot, run_configuration, table

    try:
        levels = parse_levels(arguments.concurrency)
    except ValueError:
        _say("--concurrency attend des nombres entiers ≥ 1 séparés par des virgules, par exemple 1,10,50")
        return 2
    if arguments.conversations < 1:
        _say("--conversations doit valoir au moins 1.")
        return 2
    if not MODEL.is_file():
        _say(f"Modèle introuvable : {MODEL}. Entraînez-le d'abord : amiable train")
        return 2
    configurations = [CONFIGURATION]
    if not arguments.no_peer:
        if not PEER_MODEL.is_file() and not _train_peer():
            _say(f"L'entraînement de {PEER_MODEL} a échoué (relancez-le, ou mesurez sans comparaison : --no-peer).")
            return 1
        configurations.append(PEER)
    if arguments.floor:
        if not _train_floor():
            _say(f"L'entraînement du plancher {FLOOR_MODEL} a échoué (voir ci-dessus).")
            return 1
        configurations.append(FLOOR)
    load_before = os.getloadavg()
    reports = []
    for configuration in configurations:
        try:
            reports.append(run_configuration(configuration, levels, arguments.conversations, _say, _turn_progress))
        except (RuntimeError, TimeoutError, OSError) as error:
            _say(f"{configuration.label} : la mesure n'a pas pu se faire : {error}")
            return 1
    load_after = os.getloadavg()
    plot = latency_plot(reports, arguments.plot)
    heading = (
        f"Canal REST : à chaque niveau, {arguments.conversations} négociations complètes au minimum (davantage"
        f" s'il y a plus de conversations simultanées), {len(STEPS)} tours chacune, de la salutation à l'accord."
    )
    if arguments.json:  # the table for the person watching, on stderr; stdout is the JSON only
        _say(heading + "\n" + table(reports, load_before, load_after))
    _say(f"Image : {plot}")
    if arguments.json:
        print(
            json.dumps(
                {
                    "turns": list(STEPS),
                    "configurations": [report.as_dict() for report in reports],
                    "load_average": {"before": list(load_before), "after": list(load_after)},
                    "cpus": os.cpu_count(),
                    "plot": str(plot),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(heading)
    print(table(reports, load_before, load_after))
    return 0
