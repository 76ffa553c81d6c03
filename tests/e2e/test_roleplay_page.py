"""The trainers' role-play page in a real headless Chromium: log in, pick a scenario, play it to its end, read the
scorecard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from bot.channels import ROLEPLAY_PATH
from bot.serving import Stack
from tests.bot.roleplay.test_trainees import GOOD
from tests.e2e.browser import start_chromium

pytestmark = pytest.mark.e2e
REPORTS = Path("reports")


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    driver = start_chromium(1300, 1000)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(browser: WebDriver, condition: object, what: str) -> object:
    try:
        return WebDriverWait(browser, 30, poll_frequency=0.1).until(condition)  # type: ignore[arg-type]
    except TimeoutException:
        pytest.fail(f"Délai dépassé : {what}")


def _debtor_lines(browser: WebDriver) -> list[str]:
    return [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#log .turn-debtor .turn-text")]


def test_a_trainee_plays_a_scenario_and_reads_the_scorecard(browser: WebDriver, stack: Stack) -> None:
    browser.get(f"{stack.config.rasa_url}{ROLEPLAY_PATH}")
    browser.find_element(By.ID, "token").send_keys(stack.config.api_token, Keys.ENTER)
    _wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#scenarios .scenario")) == 6, "liste des scénarios")
    browser.find_element(By.CSS_SELECTOR, "button[data-scenario='oubli']").click()
    _wait(browser, lambda d: len(_debtor_lines(d)) == 1, "première réplique du débiteur")
    assert browser.find_element(By.ID, "briefing").text

    field = browser.find_element(By.ID, "say")
    for line in GOOD["oubli"]:
        before = len(_debtor_lines(browser))
        field.send_keys(line, Keys.ENTER)
        _wait(browser, lambda d, n=before: len(_debtor_lines(d)) == n + 1, f"réponse à « {line} »")
        if browser.find_element(By.ID, "scorecard").is_displayed():
            break
    _wait(browser, lambda d: d.find_element(By.ID, "scorecard").is_displayed(), "fiche d'évaluation")
    score = browser.find_element(By.ID, "score").text
    assert score.endswith("/ 5") and 1 <= float(score.split()[0].replace(",", ".")) <= 5
    assert "objectif atteint" in browser.find_element(By.ID, "outcome").text
    assert browser.find_elements(By.CSS_SELECTOR, "#reasons li")
    assert browser.find_elements(By.CSS_SELECTOR, "#annotated .code")
    assert not field.is_enabled(), "no line can be sent once the conversation has ended"
    REPORTS.mkdir(exist_ok=True)
    browser.execute_script("window.scrollTo(0, 0)")
    assert browser.save_screenshot(str(REPORTS / "roleplay.png"))
