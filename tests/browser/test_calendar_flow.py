"""A network meeting from planning to attendance, in a real browser with axe checks."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from calendar_app.models import Event, Registration
from portal.models import Role
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, member
from tests.factories_calendar import NetworkFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def register_as_guest(checked, path, name, email):
    page = checked.goto(path)
    page.get_by_label("Namn").fill(name)
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Organisation").select_option(label="Mörbylånga")
    page.get_by_label("Särskilda behov").fill("Vegetarisk kost")
    page.get_by_label("Jag samtycker till att mina uppgifter sparas för det här evenemanget.").check()
    page.locator("#register-heading ~ form button[type=submit], aside form button[type=submit]").first.click()
    return checked.check("registered")


def test_network_meeting_from_planning_to_attendance(checked):
    member(Role.CONSULTANT, "08", first_name="Maria", last_name="Holm", email="maria@region08.example.se")
    NetworkFactory(name="Barnbibliotekarier i Kalmar län", slug="barnbibliotekarier-kalmar-lan")

    # The consultant plans and publishes a meeting for the network.
    page = log_in(checked, "maria@region08.example.se", PASSWORD)
    page = checked.goto("/natverk/barnbibliotekarier-kalmar-lan/")
    page.get_by_role("link", name="Planera en träff").click()
    checked.check("event_form")
    page.locator("#id_title").fill("Nätverksträff: bokprat för de yngsta")
    start = timezone.localtime() + timedelta(days=20)
    page.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT09:00"))
    page.locator("#id_ends_at").fill(start.strftime("%Y-%m-%dT12:00"))
    page.locator("#id_place").fill("Kalmar stadsbibliotek, Tullslätten 4, Kalmar")
    page.locator("#id_capacity").fill("0")
    page.get_by_role("button", name="Spara som utkast").click()
    checked.check("event_form_errors")
    assert page.get_by_role("alert").get_by_text("Antalet platser måste vara minst 1.").is_visible()
    page.locator("#id_capacity").fill("2")
    page.get_by_label("Barn och unga").check()
    page.get_by_role("button", name="Spara som utkast").click()
    checked.check("draft")
    assert page.get_by_text("Evenemanget sparades som utkast.").is_visible()
    page.get_by_role("button", name="Publicera").click()
    checked.check("published")
    assert page.get_by_text("Evenemanget är publicerat i kalendariet.").is_visible()
    event = Event.objects.get()
    assert event.status == "published" and event.network.slug == "barnbibliotekarier-kalmar-lan"
    path = event.get_absolute_url()
    page.get_by_role("button", name="Logga ut").click()

    # The public calendar shows it; filters work (htmx) and the month view too.
    page = checked.goto("/kalendarium/")
    page.get_by_label("Typ").select_option(label="Nätverksträff")
    page.wait_for_url(re.compile(r"kind=network_meeting"))
    checked.check("calendar_filtered")
    assert page.get_by_role("link", name="Nätverksträff: bokprat för de yngsta").is_visible()
    page.get_by_role("link", name="Månad", exact=True).click()
    checked.check("month")

    # Two guests fill the seats; the third goes on the waiting list.
    page = register_as_guest(checked, path, "Lisa Nord", "lisa.nord@morbylanga.example.se")
    assert page.get_by_text("Du är anmäld till Nätverksträff: bokprat för de yngsta").is_visible()
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["lisa.nord@morbylanga.example.se"]
    assert confirmation.attachments[0][0].endswith(".ics")
    cancel_path = re.search(r"https?://[^/]+(/kalendarium/avanmalan/\S+/)", confirmation.body).group(1)
    register_as_guest(checked, path, "Omar Said", "omar.said@morbylanga.example.se")
    page = register_as_guest(checked, path, "Eva Berg", "eva.berg@morbylanga.example.se")
    assert page.get_by_text("Evenemanget är fullt. Du står som nummer 1 på reservlistan").is_visible()
    assert Registration.objects.get(email="eva.berg@morbylanga.example.se").status == "waitlisted"

    # The first guest cancels with the personal link; the waitlisted guest gets the seat.
    page = checked.goto(cancel_path)
    page.get_by_role("button", name="Avboka min anmälan").click()
    checked.check("cancelled")
    assert page.get_by_text("Din anmälan är avbokad.").is_visible()
    assert Registration.objects.get(email="eva.berg@morbylanga.example.se").status == "confirmed"
    assert any(
        m.to == ["eva.berg@morbylanga.example.se"] and "Du har fått en plats" in m.subject
        for m in mail.outbox
    )

    # The day after: the organiser marks attendance and exports the list.
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=26), ends_at=timezone.now() - timedelta(hours=23)
    )
    log_in(checked, "maria@region08.example.se", PASSWORD)
    page = checked.goto(path)
    page.get_by_role("link", name="Deltagare").click()
    checked.check("participants")
    page.get_by_label("Omar Said närvarade").check()
    page.get_by_label("Eva Berg närvarade").check()
    page.get_by_role("button", name="Spara närvaro").click()
    checked.check("attendance_saved")
    assert page.get_by_text("Närvaron är sparad: 2 närvarade.").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exportera till Excel (XLSX)").click()
    assert download_info.value.suggested_filename == f"deltagare-{event.pk}.xlsx"

    # The network page shows the meeting.
    page = checked.goto("/natverk/barnbibliotekarier-kalmar-lan/")
    assert page.get_by_role("link", name="Nätverksträff: bokprat för de yngsta").is_visible()
