import pytest

from portal.models import Role
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kb_produces_and_downloads_the_national_report(checked):
    member(Role.KB, "KB", first_name="Karin", last_name="Ekström", email="karin@kb.example.se")
    page = log_in(checked, "karin@kb.example.se", PASSWORD)
    page.get_by_role("link", name="Rapporter").click()
    checked.check("reports")
    page.get_by_role("button", name="Ta fram rapporten").click()
    checked.check("job")
    assert page.get_by_text("Rapporten är klar").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner PDF").click()
    assert download_info.value.suggested_filename.startswith("nationell-uppfoljning-biblioteksplaner-")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner som Excel (XLSX)").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")


def test_consultant_produces_the_regional_board_report(checked):
    member(Role.CONSULTANT, "08", first_name="Maria", last_name="Holm", email="maria@region08.example.se")
    page = log_in(checked, "maria@region08.example.se", PASSWORD)
    page.get_by_role("link", name="Rapporter").click()
    checked.check("reports")
    page.get_by_role("button", name="Ta fram återrapporteringen").click()
    checked.check("job")
    assert page.get_by_text("Rapporten är klar").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner som Excel (XLSX)").click()
    assert download_info.value.suggested_filename.startswith("aterrapportering-08-")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner PDF").click()
    assert download_info.value.suggested_filename.endswith(".pdf")
