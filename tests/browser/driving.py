"""Driving the app as its users do: sign in, follow the sidebar, fill forms, and look at every page.

Streamlit reruns its script after each interaction; a step is over when what
the user waits for is on screen and the script has stopped running. Every
helper that ends a step checks that no exception is shown.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tracker.config import ROOT
from ui.strings import STRINGS

# The machine is shared and loaded: a rerun can take many seconds.
TIMEOUT = 90_000
SHOTS = ROOT / "artifacts"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
# Streamlit marks its root with the state of the script run.
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
# Tallest screenshot: a long page is cut rather than making a huge image.
MAX_SHOT_HEIGHT = 12_000


def text(key: str) -> str:
    """The Vietnamese UI string KEY, as the page shows it (the app opens in Vietnamese)."""
    return STRINGS[key][0]


def settle(page: Page) -> None:
    """Wait for the script run to end, then check the page shows no exception."""
    page.wait_for_selector(IDLE, timeout=TIMEOUT)
    expect(page.locator(EXCEPTION)).to_have_count(0)


def shot(page: Page, name: str, *, phone: bool = False) -> None:
    """Save artifacts/NAME.png of the whole page at 1440 px (and NAME-390.png at 390 px when PHONE).

    Streamlit scrolls inside its main block, not the document, so the viewport
    is stretched to the content's height for the picture, then put back.
    """
    sidebar = page.get_by_test_id("stSidebar")
    _picture(page, SHOTS / f"{name}.png", DESKTOP)
    if phone:
        _picture(page, SHOTS / f"{name}-390.png", PHONE)
    page.set_viewport_size(DESKTOP)
    # Narrowed to a phone the sidebar folds away, and opens again when widened.
    expect(sidebar).to_be_in_viewport()


def _picture(page: Page, path: Path, size: dict[str, int]) -> None:
    page.set_viewport_size(size)
    if size["width"] < DESKTOP["width"]:
        # Wait for the sidebar to finish sliding away, as a phone shows the page.
        expect(page.get_by_test_id("stSidebar")).not_to_be_in_viewport()
    settle(page)
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    tall = min(max(height, size["height"]), MAX_SHOT_HEIGHT)
    page.set_viewport_size({"width": size["width"], "height": tall})
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path)


def sign_in(page: Page, url: str, username: str, password: str) -> None:
    """Open URL (any page's address) and sign in; the page the address names opens."""
    page.goto(url)
    button = page.get_by_role("button", name=text("sign_in"), exact=True)
    expect(button).to_be_visible(timeout=TIMEOUT)
    page.get_by_label(text("username")).fill(username)
    page.get_by_label(text("password"), exact=True).fill(password)
    button.click()
    expect(page.get_by_role("button", name=text("sign_out"))).to_be_visible(timeout=TIMEOUT)
    settle(page)


def sidebar_pages(page: Page) -> list[str]:
    """The titles of the pages the sidebar offers."""
    links = page.get_by_test_id("stSidebarNav").get_by_role("link")
    # A link's text is its icon's name, then the title.
    return [link.inner_text().split("\n")[-1].strip() for link in links.all()]


def open_page(page: Page, title_key: str) -> None:
    """Follow the sidebar link to a page (the session stays signed in) and wait for its title."""
    title = text(title_key)
    # A page may carry a count of what needs attention: "Đơn vị của tôi (6)".
    link = re.compile(rf"(^|\s){re.escape(title)}( \(\d+\))?$")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(timeout=TIMEOUT)
    settle(page)


def choose(page: Page, scope: Page | Locator, label: str, option: str) -> None:
    """Pick OPTION in the select box labelled LABEL within SCOPE, typing it as a user narrows the list."""
    labelled = scope.get_by_role("combobox", name=label, exact=True)
    if labelled.input_value() == option:
        return
    # By its id: the open list hides the rest of the page from role locators (aria-hidden).
    box = page.locator(f"[id='{labelled.get_attribute('id')}']")
    match = page.get_by_role("option", name=option, exact=True)
    # On a busy machine the list sometimes closes again while a rerun redraws the form:
    # open it again, as a user would, a bounded number of times.
    for _ in range(3):
        box.click()
        expect(box).to_be_focused()
        box.fill(option)
        try:
            match.wait_for(state="visible", timeout=15_000)
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
            continue
        # Enter takes the highlighted match: a click can land while the list is redrawn.
        page.keyboard.press("Enter")
        # The box shows the typed text even when Enter came before the list highlighted the
        # match, and that text is dropped when the box loses focus: only a value that stays
        # after leaving the box was chosen.
        box.blur()
        try:
            expect(box).to_have_value(option, timeout=5_000)
        except AssertionError:
            continue
        return
    expect(box).to_have_value(option, timeout=TIMEOUT)


def task_card(page: Page, code: str) -> Locator:
    """The expander of the unit page that holds task CODE (its code is the bold start of the headline)."""
    code_pattern = re.compile(rf"^{re.escape(code)}$")
    return page.get_by_test_id("stExpander").filter(has=page.locator("summary strong", has_text=code_pattern))


def unfold(card: Locator) -> None:
    """Open the expander CARD, unless it is open already (a click would fold it)."""
    details = card.locator("details")
    if details.get_attribute("open") is None:
        card.locator("summary").click()
    expect(details).to_have_attribute("open", "")


def form_with(scope: Page | Locator, button: str) -> Locator:
    """The form of SCOPE whose submit button reads BUTTON."""
    # The inner locator of a filter is taken from the page: it is searched within each form.
    page = scope if isinstance(scope, Page) else scope.page
    return scope.get_by_test_id("stForm").filter(has=page.get_by_role("button", name=button, exact=True))


def submit_buttons(scope: Page | Locator) -> list[str]:
    """The labels of every form submit button in SCOPE, folded away (in a closed expander) or not."""
    return [name.strip() for name in scope.get_by_test_id("stFormSubmitButton").all_text_contents()]
