"""The Rasa server and the action server, started as child processes and stopped together."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot import settings
from bot.channels import WEBCHAT_PATH

PROJECT_FILES = ("domain.yml", "config.yml", "endpoints.yml", "credentials.yml")


@dataclass
class StackConfig:
    model: Path = Path("models") / "amiable.tar.gz"
    rasa_port: int = field(default_factory=settings.rasa_port)
    action_port: int = field(default_factory=settings.action_port)
    api_token: str = field(default_factory=settings.api_token)
    rasa_host: str = field(default_factory=settings.rasa_host)
    action_host: str = field(default_factory=settings.action_host)
    cors_origins: list[str] = field(default_factory=settings.cors_origins)
    endpoints: Path = Path("endpoints.yml")
    credentials: Path = Path("credentials.yml")
    log_dir: Path = Path("var") / "log"
    environment: dict[str, str] = field(default_factory=dict)
    with_rasa_server: bool = True
    # False: only `rasa run`, talking to an action server already listening on `action_port` (scale-out:
    # several Rasa servers sharing one action server).
    with_action_server: bool = True

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    @property
    def webchat_url(self) -> str:
        """The debtors' web chat page, served by the Rasa server (channel declared in credentials.yml)."""
        return f"{self.rasa_url}{WEBCHAT_PATH}"


class PortInUseError(RuntimeError):
    """A port the stack needs is taken."""


def _port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _get_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback only)
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


class Stack:
    """Runs `rasa_sdk` (actions) and `rasa run` (API enabled, token-protected) until stopped."""

    def __init__(self, config: StackConfig | None = None) -> None:
        self.config = config or StackConfig()
        self.processes: dict[str, subprocess.Popen] = {}

    def _spawn(self, name: str, arguments: list[str], environment_extra: dict[str, str] | None = None) -> None:
        self.config.log_dir.mkdir(parents=True, exist_ok=True)
        log = (self.config.log_dir / f"{name}.log").open("ab")
        environment = {
            **os.environ,
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "RASA_TELEMETRY_ENABLED": "false",
            **self.config.environment,
        }
        environment["ACTION_SERVER_URL"] = f"{self.config.action_url}/webhook"
        environment.update(environment_extra or {})
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", *arguments],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=environment,
            start_new_session=True,
        )

    def start(self) -> None:
        if self.config.with_rasa_server and not self.config.model.is_file():
            raise FileNotFoundError(f"Modèle introuvable : {self.config.model} (lancez « amiable train »)")
        ports = ([self.config.action_port] if self.config.with_action_server else []) + (
            [self.config.rasa_port] if self.config.with_rasa_server else []
        )
        busy = [port for port in ports if _port_in_use(port)]
        if busy:
            raise PortInUseError(
                f"Port(s) déjà utilisé(s) : {', '.join(map(str, busy))}. Une autre instance d'Amiable tourne-t-elle ?"
                " Arrêtez-la ou choisissez d'autres ports (AMIABLE_RASA_PORT, AMIABLE_ACTION_PORT)."
            )
        if self.config.with_action_server:
            self.start_actions()
        if self.config.with_rasa_server:
            self.start_rasa()

    def start_actions(self) -> None:
        """Starts (or starts again, after `stop_server("actions")`) the action server."""
        self._spawn(
            "actions",
            ["rasa_sdk", "--actions", "actions", "--port", str(self.config.action_port)],
            {"SANIC_HOST": self.config.action_host},  # rasa_sdk's only way to choose the interface
        )

    def start_rasa(self) -> None:
        """Starts (or starts again, after `stop_server("rasa")`) the Rasa server."""
        self._spawn(
            "rasa",
            [
                "rasa",
                "run",
                "--model",
                str(self.config.model),
                "--enable-api",
                "--auth-token",
                self.config.api_token,
                "--port",
                str(self.config.rasa_port),
                "--endpoints",
                str(self.config.endpoints),
                "--credentials",
                str(self.config.credentials),
                "--interface",
                self.config.rasa_host,
                *(["--cors", *self.config.cors_origins] if self.config.cors_origins else []),
            ],
        )

    def wait_ready(self, timeout: float = 240.0) -> None:
        """Blocks until the started servers answer; raises with the log's tail when one dies or times out."""
        deadline = time.monotonic() + timeout
        urls = {"actions": f"{self.config.action_url}/health", "rasa": f"{self.config.rasa_url}/"}
        pending = {name: url for name, url in urls.items() if name in self.processes}
        while pending:
            for name, url in list(pending.items()):
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"Le serveur {name} s'est arrêté au démarrage :\n{self.log_tail(name)}")
                if _get_ok(url):
                    del pending[name]
            if pending and time.monotonic() > deadline:
                raise TimeoutError(f"Serveurs pas prêts après {timeout:.0f} s : {', '.join(pending)}")
            if pending:
                time.sleep(0.5)
        if "rasa" in self.processes:
            self._wait_model_loaded(deadline)

    def _wait_model_loaded(self, deadline: float) -> None:
        request = urllib.request.Request(f"{self.config.rasa_url}/status?token={self.config.api_token}")
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
                    if b"model_file" in response.read():
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        raise TimeoutError("Le modèle n'est pas chargé.")

    def serves_webchat(self) -> bool:
        """Whether the Rasa server answers on the web chat page's URL."""
        return self.config.with_rasa_server and _get_ok(self.config.webchat_url)

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.config.log_dir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop_server(self, name: str) -> None:
        """Stops one server ("actions" or "rasa") and forgets it; the other keeps running."""
        process = self.processes.pop(name, None)
        if process is not None:
            self._terminate([process])

    def stop(self) -> None:
        self._terminate(list(self.processes.values()))
        self.processes.clear()

    @staticmethod
    def _terminate(processes: list[subprocess.Popen]) -> None:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def __enter__(self) -> Stack:
        self.start()
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
