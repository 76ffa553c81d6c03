"""The debtors' web chat page in a real headless Chromium, against the running stack (Rasa + actions).

Chromium and chromedriver are Debian's packages, installed by `scripts/install-chromium.sh` (run by
`make test`). Everything is typed on the keyboard: no click, Enter sends.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from bot.cases import CaseStore
from bot.cases.demo import load_demo_data
from bot.cases.models import Arrangement, Case
from bot.serving import Stack
from bot.settings import MAX_MESSAGE_CHARS
from tests.e2e.browser import start_chromium

pytestmark = pytest.mark.e2e
PHONE = {"width": 360, "height": 740, "deviceScaleFactor": 1, "mobile": True}
REPORTS = Path("reports")
ANSWER_TIMEOUT = 60.0


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    driver = start_chromium(PHONE["width"], PHONE["height"])
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    try:
        yield driver
    finally:
        driver.quit()


def _field(browser: WebDriver) -> WebElement:
    return browser.find_element(By.ID, "message")


def _texts(browser: WebDriver, author: str) -> list[str]:
    return [element.text for element in browser.find_elements(By.CSS_SELECTOR, f"#log .message-{author} .message-text")]


def _settled(browser: WebDriver) -> bool:
    return browser.execute_script(
        "return !document.getElementById('log').hasAttribute('aria-busy')"
        " && document.getElementById('typing').textContent === '';"
    )


def _type(browser: WebDriver, text: str) -> list[str]:
    """Types a message, presses Enter, waits for the answer; returns the bot's new messages as displayed."""
    before_user, before_bot = len(_texts(browser, "user")), len(_texts(browser, "bot"))
    _field(browser).send_keys(text, Keys.ENTER)
    try:
        WebDriverWait(browser, ANSWER_TIMEOUT, poll_frequency=0.1).until(
            lambda driver: len(_texts(driver, "user")) == before_user + 1 and _settled(driver)
        )
    except TimeoutException:
        pytest.fail(f"Pas de réponse au message « {text} » en {ANSWER_TIMEOUT:.0f} s")
    assert browser.switch_to.active_element == _field(browser), "the focus must stay in the field"
    assert _field(browser).get_attribute("value") == ""
    assert browser.find_element(By.ID, "error").text == "", browser.find_element(By.ID, "error").text
    return _texts(browser, "bot")[before_bot:]


def _arrangements(store: CaseStore, reference: str) -> list[Arrangement]:
    with store.session() as session:
        rows = session.scalars(
            select(Arrangement).join(Case).where(Case.reference == reference).order_by(Arrangement.id)
        ).all()
        for row in rows:
            _ = row.lines  # loaded while the session is open
        return list(rows)


def _fits_the_phone(browser: WebDriver) -> None:
    """No horizontal scroll at 360 px; the page itself does not scroll either (only the conversation does)."""
    widths, heights = browser.execute_script(
        "const root = document.documentElement;"
        "return [[window.innerWidth, root.scrollWidth, document.body.scrollWidth],"
        " [window.innerHeight, root.scrollHeight, document.body.scrollHeight]];"
    )
    assert widths[0] == PHONE["width"], widths
    assert max(widths[1:]) <= widths[0], f"horizontal scroll at {PHONE['width']} px: {widths}"
    assert max(heights[1:]) <= heights[0], f"the page scrolls at {PHONE['height']} px high: {heights}"


def _screenshot(browser: WebDriver, name: str, scroll_to: str | None = None) -> None:
    """Saves the phone-sized view under reports/ (git-ignored), scrolled to the bot message `scroll_to`."""
    if scroll_to is not None:
        for element in browser.find_elements(By.CSS_SELECTOR, "#log .message-bot .message-text"):
            if element.text == scroll_to:
                browser.execute_script("arguments[0].scrollIntoView({block: 'start'});", element)
    REPORTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(REPORTS / name))


def test_a_full_after_hours_conversation_in_the_browser(browser: WebDriver, stack: Stack, e2e_database: str) -> None:
    started = time.monotonic()
    case = load_demo_data().cases[0]
    store = CaseStore(e2e_database)
    before = len(_arrangements(store, case.reference))

    browser.get(stack.config.webchat_url)
    assert browser.execute_script("return document.documentElement.lang") == "fr"
    field = _field(browser)
    assert field.accessible_name == "Votre message"
    assert browser.find_element(By.ID, "send").accessible_name == "Envoyer"
    assert browser.find_element(By.ID, "log").get_attribute("aria-live") == "polite"
    assert browser.switch_to.active_element == field, "the field has the focus when the page opens"

    greeting = _type(browser, "Bonjour")
    assert any("référence de votre dossier" in text for text in greeting), greeting
    _type(browser, case.reference)
    identified = _type(browser, case.debtor.birth_date.strftime("%d/%m/%Y"))
    assert any("identité est vérifiée" in text for text in identified), identified
    assert any("démarche amiable" in text and "Mobilys Télécom" in text for text in identified), identified

    # A reload keeps the conversation: same transcript on screen, same sender for Rasa (still identified).
    shown = _texts(browser, "bot")
    browser.refresh()
    WebDriverWait(browser, 10).until(lambda driver: len(_texts(driver, "bot")) == len(shown))
    assert _texts(browser, "bot") == shown

    heard = _type(browser, "j'ai perdu mon travail en septembre et je n'arrive plus à payer")
    assert "vous avez perdu votre travail en septembre" in heard[0], heard
    _type(browser, "je pourrais mettre 60 euros par mois")
    proposal = _type(browser, "le 5")
    assert any(text.startswith("Pour résumer") for text in proposal), proposal
    listed = [text for text in proposal if "\n1. " in text and "\n2. " in text]  # on separate lines (pre-line)
    assert listed, proposal
    _screenshot(browser, "webchat-options.png", scroll_to=listed[0])
    recap = _type(browser, "je prends la deuxième")
    assert recap[-1].endswith("Confirmez-vous cet accord ?"), recap
    done = _type(browser, "oui")
    assert any("Votre accord est enregistré" in text for text in done), done

    arrangements = _arrangements(store, case.reference)
    assert len(arrangements) == before + 1
    # The second option, whatever the profile put second: as many schedule lines as it announced.
    second = re.search(r"\n2\. [^\n]*?(\d+) (?:mensualités|versements)", listed[0])
    announced = int(second.group(1)) if second else 1
    assert len(arrangements[-1].lines) == announced, listed[0]

    _fits_the_phone(browser)
    _screenshot(browser, "webchat.png")
    assert time.monotonic() - started < 90


def test_markup_is_shown_as_text_errors_are_clear_and_length_is_capped(browser: WebDriver, stack: Stack) -> None:
    browser.get(stack.config.webchat_url)
    # Keyboard only: Tab from the field to the send button, then to « nouvelle conversation », Enter.
    _field(browser).send_keys(Keys.TAB)
    browser.switch_to.active_element.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("id") == "restart"
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert _texts(browser, "user") == [] and browser.switch_to.active_element == _field(browser)

    markup = "<b>html</b><script>window.pwned = true</script><img src=x onerror=\"window.pwned = true\">"
    replies = _type(browser, markup)
    assert _texts(browser, "user") == [markup]
    assert replies, "the bot answers"
    log = browser.find_element(By.ID, "log")
    assert log.find_elements(By.CSS_SELECTOR, "b, script, img") == []
    assert browser.execute_script("return window.pwned === undefined")

    # Server unreachable: a clear French message, the text is given back, nothing is lost.
    browser.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
    try:
        _field(browser).send_keys("Bonjour", Keys.ENTER)
        error = WebDriverWait(browser, 15).until(lambda driver: driver.find_element(By.ID, "error").text)
    finally:
        browser.delete_network_conditions()
    assert "injoignable" in error and "réessayez" in error, error
    assert _field(browser).get_attribute("value") == "Bonjour"
    assert _texts(browser, "user") == [markup], "the message that was not sent is not shown as sent"
    assert browser.switch_to.active_element == _field(browser)

    # The page caps a message at 1,000 characters and says so in French.
    _field(browser).clear()
    _field(browser).send_keys("a" * (MAX_MESSAGE_CHARS + 20))
    assert len(_field(browser).get_attribute("value")) == MAX_MESSAGE_CHARS
    hint = browser.find_element(By.ID, "hint").text.replace("\u202f", " ").replace("\u00a0", " ")
    assert "Limite de 1 000 caractères atteinte" in hint, hint
    _fits_the_phone(browser)
