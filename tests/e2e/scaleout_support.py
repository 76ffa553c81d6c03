"""Helpers of the scale-out and fault tests: throw-away PostgreSQL databases, a Redis key prefix, servers started
on deploy/endpoints.scaleout.yml, the REST webhook with a message_id, Rasa's tracker, and a TCP proxy that can
cut the case store's database at a chosen moment."""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bot.cases import CaseStore
from bot.cases.db import get_engine
from bot.cases.demo import load_demo_data, seed
from bot.cases.models import Arrangement, Case, JournalEntry, JournalKind
from bot.serving import Stack, StackConfig
from tests.conftest import POSTGRES_ADMIN_URL
from tests.e2e.conftest import MODEL, TODAY, free_port

SCALEOUT_ENDPOINTS = Path("deploy") / "endpoints.scaleout.yml"
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 0


def database_url(name: str, port: int | None = None) -> str:
    """The URL of database `name` on the test server (optionally through another port: a proxy)."""
    url = make_url(POSTGRES_ADMIN_URL).set(database=name)
    return str(url.set(port=port) if port else url)


@contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """Creates an empty database on the local PostgreSQL server, yields its name, drops it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield name
    finally:
        get_engine(database_url(name)).dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def seeded_store(url: str) -> CaseStore:
    """The case store at `url`, migrated and holding the demo data (as tests/e2e/conftest.py does)."""
    store = CaseStore(url)
    store.migrate()
    with store.session() as session:
        seed(session, load_demo_data())
    return store


@contextmanager
def redis_prefix() -> Iterator[str]:
    """A unique key prefix for Rasa's Redis lock store (letters and digits only); its keys are deleted after."""
    prefix = f"amiabletest{uuid.uuid4().hex[:10]}"
    try:
        yield prefix
    finally:
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        client.close()


def redis_keys(prefix: str) -> list[str]:
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    try:
        return sorted(key.decode() for key in client.scan_iter(f"{prefix}:*"))
    finally:
        client.close()


def scaleout_environment(case_db_url: str, tracker_db: str, prefix: str) -> dict[str, str]:
    """The variables deploy/endpoints.scaleout.yml reads, for the local PostgreSQL and Redis servers."""
    admin = make_url(POSTGRES_ADMIN_URL)
    return {
        "AMIABLE_DB_URL": case_db_url,
        "AMIABLE_TODAY": TODAY,
        "AMIABLE_TRACKER_DB_HOST": admin.host or "127.0.0.1",
        "AMIABLE_TRACKER_DB_PORT": str(admin.port or 5432),
        "AMIABLE_TRACKER_DB_NAME": tracker_db,
        "AMIABLE_TRACKER_DB_USER": admin.username or "postgres",
        "AMIABLE_TRACKER_DB_PASSWORD": admin.password or "",
        "AMIABLE_TRACKER_LOGIN_DB": admin.database or "postgres",
        "AMIABLE_REDIS_HOST": REDIS_HOST,
        "AMIABLE_REDIS_PORT": str(REDIS_PORT),
        "AMIABLE_REDIS_DB": str(REDIS_DB),
        "AMIABLE_REDIS_KEY_PREFIX": prefix,
    }


def action_server(workdir: Path, environment: dict[str, str], workers: int = 1) -> Stack:
    """The action server; `workers` > 1: that many Sanic worker processes (SANIC_WORKERS)."""
    return Stack(
        StackConfig(
            model=MODEL,
            action_port=free_port(),
            log_dir=workdir / "log-actions",
            environment={**environment, "SANIC_WORKERS": str(workers)},
            with_rasa_server=False,
        )
    )


def rasa_server(workdir: Path, name: str, environment: dict[str, str], action_port: int, workers: int = 1) -> Stack:
    """A `rasa run` on deploy/endpoints.scaleout.yml, talking to the action server listening on `action_port`;
    `workers` > 1: that many Sanic worker processes (SANIC_WORKERS, allowed by the Redis lock store)."""
    return Stack(
        StackConfig(
            model=MODEL,
            rasa_port=free_port(),
            action_port=action_port,
            endpoints=SCALEOUT_ENDPOINTS,
            log_dir=workdir / f"log-{name}",
            environment={**environment, "SANIC_WORKERS": str(workers)},
            with_action_server=False,
        )
    )


@contextmanager
def running(*stacks: Stack) -> Iterator[None]:
    """Starts every server at once (they boot in parallel), waits for all, stops them all (in parallel) at the end."""
    try:
        for stack in stacks:
            stack.start()
        for stack in stacks:
            stack.wait_ready()
        yield
    finally:
        with ThreadPoolExecutor(max_workers=len(stacks)) as pool:
            list(pool.map(Stack.stop, stacks))


def post(stack: Stack, sender: str, message: str, message_id: str | None = None) -> tuple[int, Any]:
    """POSTs one message to the REST webhook; the HTTP status and the decoded JSON answer."""
    body: dict[str, Any] = {"sender": sender, "message": message}
    if message_id is not None:
        body["message_id"] = message_id
    request = urllib.request.Request(
        f"{stack.config.rasa_url}/webhooks/rest/webhook",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def say(stack: Stack, sender: str, message: str, message_id: str | None = None) -> list[str]:
    """The bot's texts for one debtor message (the webhook must answer 200)."""
    status, replies = post(stack, sender, message, message_id)
    assert status == 200, (status, replies)
    return [reply["text"] for reply in replies if "text" in reply]


def user_events(stack: Stack, sender: str) -> list[dict[str, Any]]:
    """The debtor's messages of the conversation as Rasa's tracker store holds them (through Rasa's API)."""
    url = f"{stack.config.rasa_url}/conversations/{sender}/tracker?token={stack.config.api_token}"
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
        events = json.loads(response.read())["events"]
    return [event for event in events if event.get("event") == "user"]


def identify(stack: Stack, sender: str, case_index: int) -> str:
    """Identifies the debtor of demo case `case_index`; returns the case's reference."""
    case = load_demo_data().cases[case_index]
    say(stack, sender, case.reference)
    replies = say(stack, sender, case.debtor.birth_date.strftime("%d/%m/%Y"))
    assert any("identité est vérifiée" in reply for reply in replies), replies
    return case.reference


def count_arrangements(store: CaseStore, reference: str) -> int:
    with store.session() as session:
        statement = select(func.count()).select_from(Arrangement).join(Case).where(Case.reference == reference)
        return session.scalar(statement)


def journal(store: CaseStore, reference: str, kind: JournalKind) -> list[JournalEntry]:
    with store.session() as session:
        statement = (
            select(JournalEntry).join(Case).where(Case.reference == reference, JournalEntry.kind == kind)
        ).order_by(JournalEntry.id)
        rows = session.scalars(statement).all()
        session.expunge_all()
        return list(rows)


@dataclass
class _Link:
    client: socket.socket
    upstream: socket.socket
    wrote_arrangement: bool = False


@dataclass
class TcpProxy:
    """A loopback TCP proxy in front of PostgreSQL that can play the database going down.

    `cut_at_arrangement_commit()` arms it: when a connection that sent `INSERT INTO arrangements` then sends
    its `COMMIT`, the COMMIT is not forwarded, every connection is closed and new ones are refused until
    `restore()` — the database vanished in the middle of recording an arrangement.
    """

    target_port: int
    target_host: str = "127.0.0.1"
    port: int = 0
    cut: threading.Event = field(default_factory=threading.Event)
    _armed: threading.Event = field(default_factory=threading.Event)
    _links: list[_Link] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _listener: socket.socket | None = None

    def __enter__(self) -> TcpProxy:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        if self._listener is not None:
            self._listener.close()
        self._drop_all()

    def cut_at_arrangement_commit(self) -> None:
        self._armed.set()

    def restore(self) -> None:
        self._armed.clear()
        self.cut.clear()

    def _accept(self) -> None:
        assert self._listener is not None
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # closed
                return
            if self.cut.is_set():
                client.close()  # the database is down
                continue
            try:
                upstream = socket.create_connection((self.target_host, self.target_port))
            except OSError:
                client.close()
                continue
            link = _Link(client, upstream)
            with self._lock:
                self._links.append(link)
            threading.Thread(target=self._pump, args=(link, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(link, False), daemon=True).start()

    def _pump(self, link: _Link, from_client: bool) -> None:
        source, target = (link.client, link.upstream) if from_client else (link.upstream, link.client)
        try:
            while data := source.recv(65536):
                if from_client and self._armed.is_set():
                    link.wrote_arrangement |= b"INSERT INTO arrangements" in data
                    if link.wrote_arrangement and b"COMMIT" in data:
                        self.cut.set()
                        self._drop_all()
                        return
                target.sendall(data)
        except OSError:
            pass
        finally:
            self._close(link)

    def _drop_all(self) -> None:
        with self._lock:
            links, self._links = self._links, []
        for link in links:
            self._close(link)

    @staticmethod
    def _close(link: _Link) -> None:
        for end in (link.client, link.upstream):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()
