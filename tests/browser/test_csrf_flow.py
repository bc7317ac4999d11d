"""A section autosave whose CSRF token no longer matches (logged in again in another tab):
the message appears beside the form and the text stays (issue 14, item 12)."""

import re

import pytest

from portal.models import Role
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, member
from tests.factories_plans import PlanFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_refused_token_on_autosave_shows_a_message_beside_the_form_and_keeps_the_text(checked):
    member(Role.CHEF, "0880", email="anna@kalmar.example.se")
    section = SectionFactory(plan=PlanFactory(), heading="Inledning", body="<p>Före.</p>")
    page = log_in(checked, "anna@kalmar.example.se", PASSWORD)
    page = checked.goto(f"/planer/{section.plan_id}/redigera/")
    # Another tab logged in again: the cookie's secret changed, this page's token is old.
    page.context.add_cookies([{"name": "csrftoken", "value": "A" * 32, "url": page.base_url}])
    editor = page.locator(f"#section-{section.pk} .rich-editor")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Text som inte får försvinna.")
    message = page.locator(f"#section-{section.pk} [data-csrf-message]")
    message.wait_for()
    assert re.search("Det här sparades inte", message.inner_text())
    assert message.get_attribute("role") == "alert"
    assert "Text som inte får försvinna." in editor.inner_text()
    status = page.locator(f"#section-status-{section.pk} .save-status")
    assert status.inner_text().strip() == "Inte sparat. Försök igen."
    checked.check("csrf_message")
    section.refresh_from_db()
    assert "försvinna" not in section.body
