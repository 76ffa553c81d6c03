"""The web chat page's server (a Rasa channel serving a fixed list of files) and the page's own rules."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import yaml

from bot.channels import WEBCHAT_PATH
from bot.channels.pages import STATIC_DIR
from bot.channels.webchat import WEBCHAT_PAGE, WebChatPage
from bot.serving import StackConfig
from bot.settings import MAX_MESSAGE_CHARS  # the page caps what the server accepts
from tests.bot.channels.serving import running_app

PROJECT = Path(__file__).resolve().parents[3]
TRAVERSALS = [
    "..%2F..%2F..%2Fcredentials.yml",
    "%2e%2e%2f%2e%2e%2f%2e%2e%2fcredentials.yml",
    "..%5C..%5Ccredentials.yml",
    "%2Fetc%2Fpasswd",
    "webchat.py",
    "static%2Findex.html",
    "__init__.py",
]



@pytest.fixture
async def base_url(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    """A Sanic app with the channel registered exactly as `rasa run` does (under /webhooks/)."""
    async with running_app(monkeypatch, [WebChatPage()]) as base:
        yield base


async def _get(url: str, **options: object) -> tuple[int, dict[str, str], str]:
    async with aiohttp.ClientSession() as session, session.get(url, **options) as response:  # type: ignore[arg-type]
        return response.status, dict(response.headers), await response.text()


async def test_serves_the_page_and_its_assets_with_a_strict_policy(base_url: str) -> None:
    status, headers, body = await _get(f"{base_url}{WEBCHAT_PATH}")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<html lang="fr">' in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    for name, kind in (("chat.js", "text/javascript"), ("chat.css", "text/css")):
        status, headers, body = await _get(f"{base_url}{WEBCHAT_PATH}{name}")
        assert status == 200 and headers["Content-Type"].startswith(kind), name
        assert body == (STATIC_DIR / name).read_text(encoding="utf-8")


async def test_the_address_without_its_final_slash_redirects_to_it(base_url: str) -> None:
    status, headers, _ = await _get(f"{base_url}{WEBCHAT_PATH.rstrip('/')}", allow_redirects=False)
    assert status == 301 and headers["Location"] == WEBCHAT_PATH


async def test_unknown_files_are_not_found(base_url: str) -> None:
    status, _, body = await _get(f"{base_url}{WEBCHAT_PATH}inconnu.html")
    assert status == 404 and body == "Page introuvable."


@pytest.mark.parametrize("path", TRAVERSALS)
async def test_no_file_outside_the_list_is_ever_served(base_url: str, path: str) -> None:
    status, _, body = await _get(f"{base_url}{WEBCHAT_PATH}{path}")
    assert status == 404
    assert "rest:" not in body and "root:" not in body and "import" not in body


@pytest.mark.parametrize(
    "name", ["../webchat.py", "../../../credentials.yml", "/etc/passwd", "./index.html", "chat.js/../webchat.py", "."]
)
def test_find_asset_only_knows_the_listed_files(name: str) -> None:
    assert WEBCHAT_PAGE.find(name) is None


def test_find_asset_serves_the_page_for_the_bare_address() -> None:
    found = WEBCHAT_PAGE.find("")
    assert found is not None and found == WEBCHAT_PAGE.find("index.html")
    assert found[1] == "text/html; charset=utf-8"


def test_the_page_is_french_labelled_live_and_capped() -> None:
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in page
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    field = re.search(r"<input [^>]*id=\"message\"[^>]*>", page)
    assert field is not None
    assert f'maxlength="{MAX_MESSAGE_CHARS}"' in field.group(0)
    assert f'data-max-chars="{MAX_MESSAGE_CHARS}"' in page
    assert re.search(r'<label for="message"[^>]*>Votre message</label>', page)
    log = re.search(r'<div id="log"[^>]*>', page)
    assert log is not None and 'aria-live="polite"' in log.group(0)
    assert re.search(r'<button id="send" type="submit">Envoyer</button>', page)
    assert "<script>" not in page  # no inline script: the policy forbids it


def test_texts_are_never_rendered_as_markup() -> None:
    script = (STATIC_DIR / "chat.js").read_text(encoding="utf-8")
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("//"))
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in code.replace("never innerHTML", ""), sink
    assert "body.textContent = text" in code
    assert "sessionStorage" in code


def test_multi_line_messages_keep_their_lines() -> None:
    css = (STATIC_DIR / "chat.css").read_text(encoding="utf-8")
    rule = re.search(r"\.message-text \{([^}]*)\}", css)
    assert rule is not None and "white-space: pre-line" in rule.group(1)


def test_rasa_declares_the_page_next_to_the_rest_channel() -> None:
    channels = yaml.safe_load((PROJECT / "credentials.yml").read_text(encoding="utf-8"))
    assert "bot.channels.rest.LimitedRestInput" in channels  # Rasa's REST channel with the length limit
    assert "bot.channels.webchat.WebChatPage" in channels


def test_the_limited_rest_channel_keeps_the_rest_url() -> None:
    from bot.channels.rest import LimitedRestInput

    assert LimitedRestInput.name() == "rest"


def test_the_page_url_follows_the_rasa_port() -> None:
    assert StackConfig(rasa_port=5123).webchat_url == "http://127.0.0.1:5123/webhooks/webchat/"
