"""`amiable bench load` for real: this project's model on a fresh stack, 1 then 2 concurrent negotiations."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.serving.loadtest import STEPS

pytestmark = pytest.mark.e2e
MODEL = Path("models") / "amiable.tar.gz"


def test_the_load_benchmark_measures_whole_negotiations_that_each_end_with_one_arrangement(tmp_path: Path) -> None:
    if not MODEL.is_file():
        pytest.fail("Modèle absent : lancez « make test » (qui entraîne) ou « amiable train ».")
    plot = tmp_path / "load.png"
    command = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", "bench", "load"]
    options = ["--json", "--concurrency", "1,2", "--conversations", "2", "--no-peer", "--floor", "--plot", str(plot)]
    done = subprocess.run(command + options, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "2 conversation(s) simultanée(s)" in done.stderr  # progress goes to stderr, stdout is pure JSON
    result = json.loads(done.stdout)

    assert result["turns"] == list(STEPS)
    configuration, floor = result["configurations"]
    assert (configuration["key"], configuration["model"]) == ("amiable", str(MODEL))
    assert [level["concurrency"] for level in configuration["levels"]] == [1, 2]
    for level in configuration["levels"]:
        assert (level["conversations"], level["turns"]) == (2, 2 * len(STEPS)), level
        assert set(level["errors"].values()) == {0}, level["failures"]
        assert 0 < level["p50_ms"] <= level["p95_ms"] <= level["p99_ms"] <= level["max_ms"], level
        assert level["turns_per_second"] > 0 and len(level["p50_ms_by_turn"]) == len(STEPS)
        assert all(level["peak_memory_kib"][name] > 100_000 for name in ("rasa", "actions")), level
    assert configuration["arrangements"] == {"conversations": 4, "with_exactly_one": 4, "mismatches": {}}
    assert (floor["key"], floor["negotiates"], floor["arrangements"]) == ("rasa_floor", False, None)
    for level in floor["levels"]:  # Rasa alone, small talk: every turn answered, no action server
        assert (level["conversations"], level["turns"]) == (2, 2 * len(STEPS)), level
        assert set(level["errors"].values()) == {0}, level["failures"]
        assert set(level["peak_memory_kib"]) == {"rasa"} and level["peak_memory_kib"]["rasa"] > 100_000
    assert len(result["load_average"]["before"]) == 3
    assert plot.read_bytes()[:4] == b"\x89PNG"
