"""The agent console in a real headless Chromium, against the running stack: login, case panel, suggestions
for each debtor message, a suggestion inserted and sent, a threatening draft flagged with a rewrite, and a
debtor message carrying markup shown as text."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from bot.cases import CaseStore
from bot.cases.demo import load_demo_data
from bot.channels import CONSOLE_PATH
from bot.serving import Stack
from bot.text import format_euros
from tests.e2e.browser import start_chromium

pytestmark = pytest.mark.e2e
DESK = (1400, 1000)
WAIT = 30.0
REPORTS = Path("reports")
THREAT = "Si vous ne payez pas cette semaine, l'huissier viendra saisir vos meubles."
MARKUP = '<img src=x onerror="window.pwned = 1"><script>window.pwned = 2</script> je ne peux pas payer tout'


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    driver = start_chromium(*DESK)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(browser: WebDriver, condition: Any, what: str) -> Any:
    try:
        return WebDriverWait(browser, WAIT, poll_frequency=0.1).until(condition)
    except TimeoutException:
        pytest.fail(f"Délai dépassé : {what}")


def _turns(browser: WebDriver, speaker: str) -> list[str]:
    return [e.text for e in browser.find_elements(By.CSS_SELECTOR, f"#log .turn-{speaker} .turn-text")]


def _cards(browser: WebDriver) -> list[tuple[str, str]]:
    return [
        (card.get_attribute("class").split("suggestion-")[-1], card.find_element(By.CLASS_NAME, "suggestion-text").text)
        for card in browser.find_elements(By.CSS_SELECTOR, "#suggestions .suggestion")
    ]


def _platform_says(stack: Stack, conversation: str, reference: str, text: str) -> None:
    """A debtor message arriving from the chat platform through the assist API (not typed in the console)."""
    request = urllib.request.Request(
        f"{stack.config.rasa_url}/webhooks/assist/debtor",
        data=json.dumps({"conversation_id": conversation, "case_reference": reference, "text": text}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {stack.config.api_token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (loopback)
        assert answer.status == 200


def _verdict(browser: WebDriver) -> str:
    return browser.find_element(By.ID, "verdict").text


def test_the_agent_console_through_a_conversation(browser: WebDriver, stack: Stack, e2e_database: str) -> None:
    case = load_demo_data().cases[0]
    view = CaseStore(e2e_database).case_view(case.reference)
    assert view is not None
    conversation = "console-e2e-1"
    browser.get(f"{stack.config.rasa_url}{CONSOLE_PATH}")
    assert browser.execute_script("return document.documentElement.lang") == "fr"
    assert not browser.find_element(By.ID, "workspace").is_displayed(), "nothing is shown before the login"

    # A wrong token is refused; the right one opens the workspace.
    browser.find_element(By.ID, "token").send_keys("mauvais-jeton", Keys.ENTER)
    _wait(browser, lambda d: d.find_element(By.ID, "login-error").text, "refus du mauvais jeton")
    assert not browser.find_element(By.ID, "workspace").is_displayed()
    token = browser.find_element(By.ID, "token")
    token.clear()
    token.send_keys(stack.config.api_token, Keys.ENTER)
    _wait(browser, lambda d: d.find_element(By.ID, "workspace").is_displayed(), "ouverture de la console")

    browser.find_element(By.ID, "conversation").send_keys(conversation)
    browser.find_element(By.ID, "reference").send_keys(case.reference, Keys.ENTER)
    panel = _wait(browser, lambda d: d.find_element(By.ID, "case").text if "Montant dû" in d.find_element(
        By.ID, "case").text else None, "panneau du dossier")
    assert case.reference in panel and "Mobilys Télécom" in panel
    assert format_euros(view.amount_due).replace("\xa0", " ") in panel  # Selenium gives no-break spaces as spaces

    # 1. A debtor message from the chat platform: it shows up with its suggestions.
    _platform_says(stack, conversation, case.reference, "j'ai perdu mon travail en septembre, je suis perdue")
    _wait(browser, lambda d: len(_turns(d, "debtor")) == 1 and _cards(d), "suggestions du premier message")
    first = _cards(browser)
    kinds = [kind for kind, _ in first]
    assert kinds[0] == "reformulation" and "question_ouverte" in kinds and "proposition" in kinds, first
    assert "perdu votre travail" in first[0][1], first[0]

    # 2. Insert the reformulation (editable), check it live, send it.
    browser.find_elements(By.CSS_SELECTOR, "#suggestions .suggestion .insert")[0].click()
    reply = browser.find_element(By.ID, "reply")
    assert reply.get_attribute("value") == first[0][1]
    reply.send_keys(" Est-ce bien cela ?")
    _wait(browser, lambda d: _verdict(d).startswith("Conforme"), "vérification du brouillon inséré")
    browser.find_element(By.ID, "send").click()
    _wait(browser, lambda d: len(_turns(d, "agent")) == 1, "envoi de la suggestion")
    assert _turns(browser, "agent") == [first[0][1] + " Est-ce bien cela ?"]
    assert reply.get_attribute("value") == ""

    # 3. A debtor message typed in the console with markup and script: shown as text, never run.
    browser.find_element(By.ID, "debtor-text").send_keys(MARKUP, Keys.ENTER)
    _wait(browser, lambda d: len(_turns(d, "debtor")) == 2 and _cards(d) != first, "suggestions du second message")
    assert _turns(browser, "debtor")[1] == MARKUP
    assert browser.find_element(By.ID, "log").find_elements(By.CSS_SELECTOR, "img, script, b") == []
    assert browser.execute_script("return window.pwned === undefined")

    # 4. A threatening draft is flagged with a rewrite; sending it is refused; the rewrite can be used and sent.
    reply.send_keys(THREAT)
    _wait(browser, lambda d: _verdict(d).startswith("À reformuler"), "signalement du brouillon menaçant")
    assert "pression" in _verdict(browser)
    rewrite = browser.find_element(By.ID, "rewrite-text").text
    assert browser.find_element(By.ID, "rewrite").is_displayed() and rewrite
    browser.find_element(By.ID, "send").click()
    _wait(browser, lambda d: d.find_element(By.ID, "send-error").text, "refus d'envoi")
    assert len(_turns(browser, "agent")) == 1, "a threatening draft is never sent"
    browser.find_element(By.ID, "use-rewrite").click()
    assert reply.get_attribute("value") == rewrite
    _wait(browser, lambda d: _verdict(d).startswith("Conforme"), "vérification de la reformulation")
    browser.find_element(By.ID, "send").click()
    _wait(browser, lambda d: len(_turns(d, "agent")) == 2, "envoi de la reformulation")
    assert _turns(browser, "agent")[1] == rewrite

    REPORTS.mkdir(exist_ok=True)
    browser.execute_script("window.scrollTo(0, 0)")
    assert browser.save_screenshot(str(REPORTS / "console.png"))

    # The tracker holds both sides of the conversation, the threat excluded.
    url = f"{stack.config.rasa_url}/conversations/{conversation}/tracker?token={stack.config.api_token}"
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 (loopback)
        events = json.loads(answer.read())["events"]
    assert [e["text"] for e in events if e["event"] == "user"][1] == MARKUP
    assert [e["text"] for e in events if e["event"] == "bot"] == _turns(browser, "agent")
    assert THREAT not in json.dumps(events, ensure_ascii=False)

    # Logging out hides everything and forgets the token.
    browser.find_element(By.ID, "logout").click()
    assert not browser.find_element(By.ID, "workspace").is_displayed()
    assert browser.execute_script("return window.sessionStorage.getItem('amiable.console.token')") is None
