"""Playwright (Python) driving Debian's Chromium, with an axe-core check of every page visited.

No browser download: the executable is Debian's `chromium` on PATH. Screenshots of every page
visited land in test-artifacts/screenshots/ for a person to look at.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed; run `apt-get install chromium`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    yield page
    context.close()


class Checker:
    """Go to pages, check them with axe-core and keep a screenshot of each."""

    def __init__(self, page, name):
        from axe_playwright_python.sync_playwright import Axe

        self.page = page
        self.axe = Axe()
        self.name = re.sub(r"[^a-z0-9_]+", "_", name.lower())
        self.count = 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def goto(self, path: str):
        self.page.goto(self.page.base_url + path)
        return self.check()

    def check(self, label: str = ""):
        self.page.wait_for_load_state("networkidle")
        results = self.axe.run(
            self.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
        )
        self.count += 1
        shot = ARTIFACTS / f"{self.name}_{self.count:02d}{'_' + label if label else ''}.png"
        self.page.screenshot(path=str(shot), full_page=True)
        assert results.violations_count == 0, f"{self.page.url}\n{results.generate_report()}"
        return self.page


@pytest.fixture
def checked(page, request):
    return Checker(page, request.node.name)


def log_in(checked, email, password):
    page = checked.goto("/konto/logga-in/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.locator("main").get_by_role("button", name="Logga in").click()
    return checked.check("after_login")
