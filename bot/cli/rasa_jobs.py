"""`amiable train`, `amiable run`, `amiable shell`: Rasa's own commands with the project's settings."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.channels import CONSOLE_PATH, ROLEPLAY_PATH
from bot.serving import Stack, StackConfig
from bot.serving.stack import PortInUseError

MODEL_DIR = Path("models")
MODEL_NAME = "amiable"


def register(commands: argparse._SubParsersAction) -> None:
    train = commands.add_parser("train", help="entraîne le modèle Rasa (seulement si données ou config ont changé)")
    train.add_argument("--force", action="store_true", help="réentraîne même si rien n'a changé")
    train.add_argument(
        "--config", type=Path, default=Path("config.yml"), help="pipeline à entraîner (défaut : config.yml)"
    )
    train.add_argument(
        "--name", default=MODEL_NAME, help=f"nom du modèle produit dans {MODEL_DIR}/ (défaut : {MODEL_NAME})"
    )
    train.set_defaults(handler=_train)
    run = commands.add_parser("run", help="démarre le serveur d'actions et le serveur Rasa (API + webhook REST)")
    run.set_defaults(handler=_run)
    shell = commands.add_parser("shell", help="discute avec l'assistant dans le terminal")
    shell.set_defaults(handler=_shell)


def model_path(name: str = MODEL_NAME) -> Path:
    return MODEL_DIR / f"{name}.tar.gz"


def _train(arguments: argparse.Namespace) -> int:
    if not arguments.config.is_file():
        print(f"Configuration introuvable : {arguments.config}", file=sys.stderr)
        return 2
    command = [
        sys.executable,
        "-m",
        "rasa",
        "train",
        "--fixed-model-name",
        arguments.name,
        "--out",
        str(MODEL_DIR),
        "--domain",
        "domain.yml",
        "--config",
        str(arguments.config),
        "--data",
        "data",
    ]
    if arguments.force:
        command.append("--force")
    print("Entraînement du modèle (Rasa réutilise le modèle existant si rien n'a changé)…", flush=True)
    started = time.monotonic()
    result = subprocess.run(command, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    trained = model_path(arguments.name)
    if result.returncode == 0 and trained.is_file():
        trained.touch()  # the Makefile compares this file's date with the training inputs
        print(f"Modèle prêt : {trained} ({time.monotonic() - started:.0f} s).")
    return result.returncode


def _stop_on_signals() -> None:
    """Ctrl+C and SIGTERM (even when started in the background) stop both servers cleanly."""

    def interrupt(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)


def _run(_: argparse.Namespace) -> int:
    config = StackConfig(model=model_path())
    stack = Stack(config)
    _stop_on_signals()
    print("Démarrage du serveur d'actions et du serveur Rasa (chargement du modèle, ~30 s)…", flush=True)
    try:
        stack.start()
    except (PortInUseError, FileNotFoundError) as error:
        print(error, file=sys.stderr)
        return 1
    try:
        stack.wait_ready()
        if not stack.serves_webchat():
            print(
                f"Attention : la page de chat ne répond pas ({config.webchat_url}). Le canal"
                f" « bot.channels.webchat.WebChatPage » est-il déclaré dans {config.credentials} ?",
                file=sys.stderr,
                flush=True,
            )
        print(
            "Amiable est prêt.\n"
            f"  Chat web      : {config.webchat_url}  (page des débiteurs, à ouvrir dans un navigateur)\n"
            f"  Console agent : {config.rasa_url}{CONSOLE_PATH}  (suggestions et dossier ; jeton AMIABLE_API_TOKEN)\n"
            f"  Jeu de rôle   : {config.rasa_url}{ROLEPLAY_PATH}  (formateurs ; même jeton)\n"
            f"  Webhook REST  : POST {config.rasa_url}/webhooks/rest/webhook"
            ' {"sender": "moi", "message": "Bonjour"}\n'
            f"  API Rasa      : {config.rasa_url}/status?token=… (jeton : variable AMIABLE_API_TOKEN)\n"
            f"  Actions       : {config.action_url}/health\n"
            f"  Journaux      : {config.log_dir}/\n"
            "Ctrl+C pour arrêter.",
            flush=True,
        )
        while all(process.poll() is None for process in stack.processes.values()):
            time.sleep(1)
        print("Un serveur s'est arrêté ; voir les journaux.", file=sys.stderr)
        return 1
    finally:
        stack.stop()


def _shell(_: argparse.Namespace) -> int:
    config = StackConfig(model=model_path(), with_rasa_server=False)
    stack = Stack(config)
    try:
        stack.start()
    except PortInUseError as error:
        print(error, file=sys.stderr)
        return 1
    try:
        stack.wait_ready()
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "rasa",
                "shell",
                "--model",
                str(config.model),
                "--endpoints",
                "endpoints.yml",
                "--port",
                str(config.rasa_port + 10),
            ],
            env={**os.environ, "ACTION_SERVER_URL": f"{config.action_url}/webhook"},
        ).returncode
    finally:
        stack.stop()
