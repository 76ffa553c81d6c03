"""Security of the running stack: the action server listens on loopback only, Rasa's API and the assist API need
the token, and the servers' logs carry no case data after a full negotiation."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.cases.demo import load_demo_data
from bot.serving import Stack
from tests.e2e.conftest import say

pytestmark = pytest.mark.e2e
LISTEN = "0A"
LOOPBACK_V4 = "0100007F"


def listening_addresses(port: int) -> set[str]:
    """The local addresses (hex, as the kernel writes them) of the sockets listening on `port`."""
    found = set()
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            address, state = fields[1], fields[3]
            host, _, port_hex = address.partition(":")
            if state == LISTEN and int(port_hex, 16) == port:
                found.add(host)
    return found


def test_listening_addresses_are_read_from_the_kernel_tables() -> None:
    import socket

    with socket.socket() as server:
        server.bind(("0.0.0.0", 0))
        server.listen()
        assert listening_addresses(server.getsockname()[1]) == {"00000000"}


def test_the_action_server_listens_on_loopback_only(stack: Stack) -> None:
    assert listening_addresses(stack.config.action_port) == {LOOPBACK_V4}
    assert listening_addresses(stack.config.rasa_port) == {LOOPBACK_V4}


@pytest.mark.parametrize("path", ["/status", "/conversations/x/tracker", "/domain"])
def test_rasa_api_needs_the_token(stack: Stack, path: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{stack.config.rasa_url}{path}", timeout=10)  # noqa: S310 (loopback)
    assert refused.value.code in (401, 403)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{stack.config.rasa_url}{path}?token=faux", timeout=10)  # noqa: S310
    assert refused.value.code in (401, 403)


def test_no_case_data_in_the_server_logs(stack: Stack) -> None:
    case = load_demo_data().cases[1]
    sender = "security-logs"
    for text in ("Bonjour", case.reference, case.debtor.birth_date.strftime("%d/%m/%Y"), "je peux payer 50 euros"):
        assert say(stack, sender, text)
    url = f"{stack.config.rasa_url}/conversations/{sender}/tracker?token={stack.config.api_token}"
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 (loopback)
        assert json.loads(answer.read())["events"], "the conversation happened"
    secrets = [
        case.debtor.last_name,
        case.debtor.birth_date.strftime("%d/%m/%Y"),
        case.debtor.birth_date.isoformat(),
        case.debtor.postcode,
    ]
    for name in ("rasa", "actions"):
        log = (stack.config.log_dir / f"{name}.log").read_text(errors="replace")
        for secret in secrets:
            assert secret not in log, f"{secret!r} in {name}.log"
