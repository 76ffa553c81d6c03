from __future__ import annotations

import pytest

from bot.assist.bench import summarise
from bot.cli import main


def test_percentiles_of_the_measured_latencies() -> None:
    report = summarise(10, [float(ms) for ms in range(1, 101)], errors=2)
    assert (report.requests, report.p50_ms, report.p95_ms, report.max_ms, report.errors) == (100, 50.5, 95.0, 100.0, 2)
    assert summarise(1, [], 0).requests == 0


@pytest.mark.parametrize("argv", [["--concurrency", "un,dix"], ["--concurrency", "0"], ["--messages", "0"]])
def test_bad_arguments_are_refused_in_french(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "assist", *argv]) == 2
    assert capsys.readouterr().err.strip()
