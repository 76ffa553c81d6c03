"""`amiable run` prints its URLs when ready and stops both servers on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_run_prints_urls_and_stops_everything_on_sigterm(tmp_path: Path) -> None:
    rasa_port, action_port = _free_port(), _free_port()
    environment = {
        **os.environ,
        "AMIABLE_RASA_PORT": str(rasa_port),
        "AMIABLE_ACTION_PORT": str(action_port),
        "AMIABLE_DB_URL": f"sqlite:///{tmp_path / 'cases.db'}",
    }
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "amiable"), "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
    )
    try:
        lines, deadline = [], time.monotonic() + 240
        while time.monotonic() < deadline:
            line = process.stdout.readline()  # type: ignore[union-attr]
            lines.append(line)
            if "Ctrl+C" in line or not line:
                break
        output = "".join(lines)
        assert "Amiable est prêt" in output, output
        assert f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook" in output
        assert _listening(rasa_port) and _listening(action_port)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 130
        assert not _listening(rasa_port) and not _listening(action_port)
    finally:
        if process.poll() is None:
            process.kill()
