import pytest

from portal.models import Role, StatisticValue
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INDICATOR = "Fysiska besök per invånare"


def test_consultant_imports_key_figures_after_fixing_the_file(checked, tmp_path):
    member(Role.CONSULTANT, "08", first_name="Maria", last_name="Holm", email="maria@region08.example.se")
    bad = tmp_path / "nyckeltal.csv"
    bad.write_text(
        f"Organisationskod;År;Nyckeltal;Värde\n0880;2024;{INDICATOR};4,2\n9999;2024;{INDICATOR};3\n",
        encoding="utf-8-sig",
    )
    good = tmp_path / "nyckeltal-rattad.csv"
    good.write_text(
        f"Organisationskod;År;Nyckeltal;Värde\n0880;2024;{INDICATOR};4,2\n0881;2024;{INDICATOR};3\n",
        encoding="utf-8-sig",
    )
    page = log_in(checked, "maria@region08.example.se", PASSWORD)
    page.get_by_role("link", name="Importera från CSV eller Excel").click()
    checked.check("imports")
    page.get_by_role("link", name="Nyckeltal").click()
    checked.check("upload")

    # A file with an unknown code: the preview lists the error with its row; nothing can be imported.
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Visa förhandsgranskningen").click()
    checked.check("preview-with-errors")
    assert page.get_by_text("Okänd organisationskod ”9999”.").is_visible()
    assert page.get_by_role("button", name="Importera 2 rader").count() == 0
    assert not StatisticValue.objects.exists()

    page.get_by_role("link", name="Ladda upp en rättad fil").click()
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Visa förhandsgranskningen").click()
    checked.check("preview")
    assert page.get_by_text("Nybro, Fysiska besök per invånare 2024: 3").is_visible()
    page.get_by_role("button", name="Importera 2 rader").click()
    checked.check("imported")
    assert page.get_by_text("Importen är klar: 2 nya, 0 uppdaterade, 0 oförändrade.").is_visible()
    assert StatisticValue.objects.count() == 2

    checked.goto("/organisationer/0880/")
    assert page.get_by_role("heading", name="Nyckeltal").is_visible()
