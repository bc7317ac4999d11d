import re

import pytest
from django.core import mail

from portal.models import Membership, Role
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chef_logs_in_browses_organisations_and_invites_an_editor(checked):
    member(Role.CHEF, "0880", first_name="Anna", last_name="Lindqvist", email="anna@kalmar.example.se")
    member(Role.CONSULTANT, "08", first_name="Maria", last_name="Holm", email="maria@region08.example.se")
    page = checked.goto("/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Biblioteksplanen")

    page = log_in(checked, "anna@kalmar.example.se", PASSWORD)
    assert page.get_by_role("heading", name="Välkommen, Anna").is_visible()
    assert page.get_by_text("Maria Holm").is_visible()

    page.get_by_role("link", name="Organisationer").click()
    checked.check("organisations")
    page.get_by_role("link", name="Region Kalmar län").click()
    checked.check("region")
    assert page.get_by_role("cell", name="0880").is_visible()
    page.get_by_role("link", name="Kalmar", exact=True).click()
    checked.check("municipality")
    assert page.get_by_role("heading", name="Personer och roller").is_visible()

    page.get_by_role("link", name="Bjud in en person").click()
    checked.check("invite")
    page.get_by_role("button", name="Skicka inbjudan").click()
    checked.check("invite_errors")
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_text("Detta fält måste fyllas i.").first.is_visible()

    page.get_by_label("E-postadress").fill("nora.ek@kalmar.example.se")
    page.get_by_label("Förnamn").fill("Nora")
    page.get_by_label("Efternamn").fill("Ek")
    page.get_by_role("button", name="Skicka inbjudan").click()
    checked.check("invited")
    assert page.get_by_text("En inbjudan har skickats till nora.ek@kalmar.example.se").is_visible()
    assert page.get_by_role("heading", name="Inbjudningar som väntar på svar").is_visible()

    link = re.search(r"https?://\S+(/inbjudan/\S+/)", mail.outbox[-1].body).group(1)
    page.get_by_role("button", name="Logga ut").click()
    checked.check("logged_out")

    page = checked.goto(link)
    assert page.get_by_role("heading", name="Inbjudan till Kalmar").is_visible()
    page.locator("#id_password1").fill("Lanekort-Bokbuss-77")
    page.get_by_label("Upprepa lösenordet").fill("Lanekort-Bokbuss-77")
    page.get_by_role("button", name="Skapa konto och tacka ja").click()
    checked.check("new_editor_dashboard")
    assert page.get_by_text("Välkommen till Kalmar!").is_visible()
    assert Membership.objects.get(user__email="nora.ek@kalmar.example.se").role == Role.EDITOR

    # The used link is now refused.
    page.get_by_role("button", name="Logga ut").click()
    page = checked.goto(link)
    assert page.get_by_role("heading", name="Inbjudan är inte giltig").is_visible()


def test_each_role_sees_its_dashboard(checked):
    member(Role.CONSULTANT, "17", first_name="Eva", last_name="Lundgren", email="eva@region17.example.se")
    member(Role.CHEF, "1780", first_name="Peter", last_name="Wallin", email="peter@karlstad.example.se")
    member(Role.KB, "KB", first_name="Karin", last_name="Ekström", email="karin@kb.example.se")

    page = log_in(checked, "eva@region17.example.se", PASSWORD)
    assert page.get_by_role("heading", name="Region Värmland").is_visible()
    assert page.get_by_role("cell", name="Peter Wallin").is_visible()
    page.get_by_role("button", name="Logga ut").click()

    page = log_in(checked, "karin@kb.example.se", PASSWORD)
    assert page.get_by_role("heading", name="Sveriges regioner").is_visible()
    assert page.get_by_role("link", name="Region Norrbotten").is_visible()

    page.set_viewport_size({"width": 375, "height": 800})
    checked.goto("/oversikt/")
    checked.goto("/organisationer/17/")


def test_wrong_password_and_lockout_messages(checked):
    member(Role.CHEF, "0880", email="anna@kalmar.example.se")
    for _ in range(4):
        page = log_in(checked, "anna@kalmar.example.se", "fel-lösenord")
        assert page.get_by_text("E-postadressen eller lösenordet är fel").first.is_visible()
    page = log_in(checked, "anna@kalmar.example.se", "fel-lösenord")
    assert page.get_by_role("heading", name="För många misslyckade inloggningsförsök").is_visible()


def test_password_reset_flow(checked):
    member(Role.CHEF, "0880", email="anna@kalmar.example.se")
    page = checked.goto("/konto/logga-in/")
    page.get_by_role("link", name="Glömt ditt lösenord?").click()
    checked.check("reset_form")
    page.get_by_label("E-postadress").fill("anna@kalmar.example.se")
    page.get_by_role("button", name="Skicka länk").click()
    checked.check("reset_sent")
    path = re.search(r"https?://[^/]+(/konto/losenord/nytt/\S+/)", mail.outbox[-1].body).group(1)
    page = checked.goto(path)
    page.locator("#id_new_password1").fill("Ny-Sommar-Lasning-42")
    page.locator("#id_new_password2").fill("Ny-Sommar-Lasning-42")
    page.get_by_role("button", name="Spara det nya lösenordet").click()
    checked.check("reset_done")
    page = log_in(checked, "anna@kalmar.example.se", "Ny-Sommar-Lasning-42")
    assert "/oversikt/" in page.url
