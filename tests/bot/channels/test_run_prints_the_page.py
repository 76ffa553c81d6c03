"""`amiable run` prints the web chat page's URL once the servers are up, and warns when it does not answer."""

from __future__ import annotations

import argparse

import pytest

from bot.cli import rasa_jobs
from bot.serving import StackConfig


class _Stopped:
    def poll(self) -> int:
        return 1  # the server "stopped": `amiable run` leaves its wait loop at once


class _FakeStack:
    serving = True

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.processes = {"rasa": _Stopped()}

    def start(self) -> None: ...

    def wait_ready(self) -> None: ...

    def stop(self) -> None: ...

    def serves_webchat(self) -> bool:
        return self.serving


@pytest.fixture
def fake_stack(monkeypatch: pytest.MonkeyPatch) -> type[_FakeStack]:
    monkeypatch.setenv("AMIABLE_RASA_PORT", "5123")
    monkeypatch.setattr(rasa_jobs, "Stack", _FakeStack)
    monkeypatch.setattr(rasa_jobs, "_stop_on_signals", lambda: None)
    return _FakeStack


def test_run_prints_the_page_url(fake_stack: type[_FakeStack], capsys: pytest.CaptureFixture[str]) -> None:
    rasa_jobs._run(argparse.Namespace())
    out, err = capsys.readouterr()
    assert "Chat web      : http://127.0.0.1:5123/webhooks/webchat/" in out
    assert "Attention" not in err


def test_run_warns_when_the_page_does_not_answer(
    fake_stack: type[_FakeStack], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(fake_stack, "serving", False)
    rasa_jobs._run(argparse.Namespace())
    err = capsys.readouterr().err
    assert "la page de chat ne répond pas (http://127.0.0.1:5123/webhooks/webchat/)" in err
    assert "bot.channels.webchat.WebChatPage" in err
