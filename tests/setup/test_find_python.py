import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "scripts" / "find-python310.sh"


def test_a_python_other_than_3_10_is_refused_with_advice() -> None:
    result = subprocess.run(
        ["bash", str(SCRIPT)],
        capture_output=True,
        text=True,
        env={**os.environ, "AMIABLE_PYTHON": "/usr/bin/false"},
    )
    assert result.returncode == 1
    assert "Python 3.10" in result.stderr and "pyenv install 3.10" in result.stderr


def test_the_machine_python_3_10_is_found() -> None:
    environment = {key: value for key, value in os.environ.items() if key != "AMIABLE_PYTHON"}
    result = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, env=environment)
    assert result.returncode == 0
    version = subprocess.run([result.stdout.strip(), "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("Python 3.10")
