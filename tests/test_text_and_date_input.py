"""Text and dates that broke pages and files (issue 14, items 1–3): control characters and NUL,
line breaks in single-line fields, and dates in year 1 or 9999. Forms and imports refuse them
with a Swedish message next to the field; exports and calendars survive what is stored."""

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.contrib import admin as django_admin
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from calendar_app.models import Event, Registration
from network.models import Network
from overview.reports.national import NationalReport
from plans.models import Plan
from portal import validators
from portal.imports import services as imports
from portal.imports.registry import BY_KIND
from portal.models import FocusArea, Invitation
from tests.factories import organisation
from tests.factories_calendar import EventFactory, NetworkFactory, RegistrationFactory
from tests.factories_plans import PlanFactory

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate().year + 1  # events of next year are ahead whenever the tests run
CONTROL = "Texten innehåller otillåtna tecken (kontrolltecken)."
ONE_LINE = "Fältet tar bara en rad text."
DATE_RANGE = "Ange ett datum mellan åren 2000 och 2100."
HOSTILE_NAME = "Anna\x07\x1b[31m"


def event_data(**overrides):
    data = {
        "title": "Språkcafé i praktiken",
        "kind": "training",
        "organiser": organisation("08").pk,
        "focus_areas": [FocusArea.objects.get(slug="lasframjande-och-spraklig-mangfald").pk],
        "starts_at": f"{NEXT_YEAR}-03-09T09:00",
        "ends_at": f"{NEXT_YEAR}-03-09T15:30",
        "place": "Regionbiblioteket, Kalmar",
        "online_url": "",
        "audience": "Bibliotekspersonal",
        "description": "Om språkcaféer för nyanlända.",
        "capacity": "25",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def post_registration(client, event, **overrides):
    data = {
        "name": "Lisa Nord",
        "email": "lisa.nord@torsas.example.se",
        "organisation": organisation("0834").pk,
        "needs": "",
        "consent": "on",
        **overrides,
    }
    return client.post(reverse("calendar_app:event_register", args=[event.pk]), data)


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def parse_ics(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


EVENT_HEADER = "Titel;Typ;Arrangörskod;Start;Slut;Plats;Antal platser;Beskrivning\n"


def event_import_errors(user, *rows: str) -> dict[int, str]:
    batch = imports.preview(BY_KIND["evenemang"], user, "e.csv", (EVENT_HEADER + "".join(rows)).encode())
    return {e["line"]: " ".join(e["messages"]) for e in batch.preview["errors"]}


# --- the checks themselves -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["Anna\x07", "\x1b[31m", "a\x00b", "a\x7fb", "a\x85b", "a\x9fb", "a\x0bb"])
def test_control_characters_are_refused_in_every_text(value):
    for validate in (validators.validate_text, validators.validate_single_line):
        with pytest.raises(ValidationError) as error:
            validate(value)
        assert error.value.code == "control_characters"


@pytest.mark.parametrize("value", ["rad ett\nrad två", "a\r\nb", "a\tb", "a\u2028b"])
def test_line_breaks_and_tabs_are_refused_in_single_line_text_only(value):
    validators.validate_text(value.replace("\u2028", "\n"))
    with pytest.raises(ValidationError) as error:
        validators.validate_single_line(value)
    assert error.value.code == "line_breaks"


def test_strip_control_characters_keeps_letters_and_line_breaks():
    assert validators.strip_control_characters(HOSTILE_NAME) == "Anna[31m"
    assert validators.strip_control_characters("Rad ett\r\nRad\ttvå\x00") == "Rad ett\r\nRad\ttvå"
    assert validators.strip_control_characters(" Rad ett\n\n Rad två ", single_line=True) == "Rad ett Rad två"
    assert validators.strip_control_characters(42) == 42


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-03-04", date(2027, 3, 4)),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("1999-12-31", None),
        ("2027-13-01", None),
        ("", None),
        (None, None),
    ],
)
def test_date_parameters_outside_the_range_are_ignored(value, expected):
    assert validators.date_param(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("2026", 2026), ("1999", None), ("²", None), ("٢٠٢٦", None), ("20266", None)]
)
def test_year_parameters_are_four_ascii_digits_in_range(value, expected):
    assert validators.year_param(value, latest=2100) == expected


# --- 1. control characters ----------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides", [{"name": HOSTILE_NAME}, {"name": "Anna\x00"}, {"needs": "Vegetarisk\x00 kost"}]
)
def test_a_guest_name_or_needs_with_control_characters_is_refused_and_kept(client, overrides):
    event = EventFactory()
    response = post_registration(client, event, **overrides)
    assert response.status_code == 422
    page = response.content.decode()
    assert CONTROL in page
    assert "Lisa Nord" in page or 'value="Anna' in page, "what the guest typed is shown again"
    assert not Registration.objects.exists()


def test_a_nul_in_the_search_words_gives_the_plan_list_with_a_message(client):
    PlanFactory(title="Biblioteksplan för Kalmar", status=Plan.Status.ADOPTED)
    response = client.get(reverse("plans:list"), {"q": "Kalmar\x00"})
    assert response.status_code == 200
    assert CONTROL in response.content.decode()


def test_needs_may_have_line_breaks(client):
    event = EventFactory()
    assert post_registration(client, event, needs="Vegetarisk kost\r\nHörslinga").status_code == 302
    assert Registration.objects.get().needs == "Vegetarisk kost\r\nHörslinga"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Språkcafé\x07"),
        ("place", "Kalmar\x1b[0m"),
        ("audience", "Alla\x00"),
        ("description", "Om språkcaféer\x00"),
    ],
)
def test_event_texts_with_control_characters_are_refused(client, consultant, field, value):
    client.force_login(consultant)
    response = client.post(reverse("calendar_app:event_create"), event_data(**{field: value}))
    assert response.status_code == 422
    assert CONTROL in response.content.decode()
    assert not Event.objects.exists()


def test_a_plan_title_with_a_control_character_is_refused(client, chef):
    client.force_login(chef)
    year = timezone.localdate().year
    response = client.post(
        reverse("plans:create"),
        {
            "organisation": organisation("0880").pk,
            "kind": "municipal",
            "title": "Biblioteksplan\x07",
            "first_year": year + 1,
            "last_year": year + 4,
            "start": "empty",
        },
    )
    assert CONTROL in response.content.decode()
    assert not Plan.objects.exists()


def test_event_import_rows_with_control_characters_are_refused(consultant):
    errors = event_import_errors(
        consultant,
        f"Dag\x07;Utbildning;08;{NEXT_YEAR}-03-04 09:00;{NEXT_YEAR}-03-04 15:00;Kalmar;10;\n",
        f"Kväll;Utbildning;08;{NEXT_YEAR}-03-05 18:00;{NEXT_YEAR}-03-05 20:00;Kalmar;10;Om\x1b kvällen\n",
        f'Natt;Utbildning;08;{NEXT_YEAR}-03-06 18:00;{NEXT_YEAR}-03-06 20:00;Kalmar;10;"Rad ett\nRad två"\n',
    )
    assert set(errors) == {2, 3}, "a description may have line breaks"
    assert errors[2].startswith("Titel: " + CONTROL)
    assert errors[3].startswith("Beskrivning: " + CONTROL)


def test_people_import_refuses_control_characters_in_names(kb):
    content = "E-postadress;Förnamn;Efternamn;Organisationskod;Roll\n"
    content += "karin@kalmar.example.se;Karin\x1b[1m;Ek;0880;Redaktör\n"
    batch = imports.preview(BY_KIND["personer"], kb, "p.csv", content.encode())
    assert [e["line"] for e in batch.preview["errors"]] == [2]
    assert CONTROL in batch.preview["errors"][0]["messages"][0]
    assert not Invitation.objects.exists()


def test_an_import_file_name_with_control_characters_is_stored_without_them(kb):
    content = "E-postadress;Förnamn;Efternamn;Organisationskod;Roll\nk@kalmar.example.se;K;E;0880;Redaktör\n"
    batch = imports.preview(BY_KIND["personer"], kb, "lista\x00\n.csv", content.encode())
    assert batch.filename == "lista .csv"


def test_participant_and_registration_xlsx_survive_a_stored_control_character(client, consultant):
    event = EventFactory()
    RegistrationFactory(event=event, name=HOSTILE_NAME, needs="Kost\x07\nHörslinga")
    client.force_login(consultant)
    participants = xlsx_rows(client.get(reverse("calendar_app:participants_export", args=[event.pk, "xlsx"])))
    assert "Anna[31m" in participants[1]
    assert "Kost\nHörslinga" in participants[1]
    registrations = xlsx_rows(client.get(reverse("calendar_app:registrations_export", args=["xlsx"])))
    assert "Anna[31m" in registrations[1]


def test_the_public_calendar_xlsx_survives_a_stored_control_character(client):
    EventFactory(title="Bokcirkel\x07", place="Kalmar\x1b[0m")
    rows = xlsx_rows(client.get(reverse("calendar_app:export", args=["xlsx"])))
    assert rows[1][0] == "Bokcirkel" and "Kalmar[0m" in rows[1]


def test_the_plan_list_xlsx_survives_a_stored_control_character(client):
    PlanFactory(title="Biblioteksplan\x07 för Kalmar", status=Plan.Status.ADOPTED)
    rows = xlsx_rows(client.get(reverse("plans:export", args=["xlsx"])))
    assert "Biblioteksplan för Kalmar" in rows[1]


def test_the_report_xlsx_drops_control_characters():
    data = {"tables": [{"key": "x", "title": "Test", "headers": ["Plan\x07"], "rows": [["Kalmar\x00\x1b"]]}]}
    sheet = openpyxl.load_workbook(io.BytesIO(NationalReport(2026).render_xlsx(data)))["Test"]
    assert list(sheet.iter_rows(values_only=True)) == [("Plan",), ("Kalmar",)]


# --- 2. dates out of range ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("starts_at", "0001-01-01T00:00"),
        ("starts_at", "9999-12-31T23:59"),
        ("ends_at", "9999-12-31T23:59"),
        ("registration_opens_at", "0001-01-01T00:00"),
        ("registration_closes_at", "1999-12-31T12:00"),
    ],
)
def test_event_dates_outside_2000_to_2100_are_refused(client, consultant, field, value):
    client.force_login(consultant)
    data = event_data(**{field: value})
    if field == "starts_at":
        data["ends_at"] = value
    response = client.post(reverse("calendar_app:event_create"), data)
    assert response.status_code == 422
    assert DATE_RANGE in response.content.decode()
    assert not Event.objects.exists()


def test_a_published_event_cannot_be_moved_to_year_1(client, consultant):
    event = EventFactory(title="Språkcafé i praktiken")
    starts = event.starts_at
    client.force_login(consultant)
    response = client.post(
        reverse("calendar_app:event_edit", args=[event.pk]),
        event_data(starts_at="0001-01-01T00:00", ends_at="0001-01-01T06:00"),
    )
    assert response.status_code == 422
    assert DATE_RANGE in response.content.decode()
    event.refresh_from_db()
    assert event.starts_at == starts


def test_the_admins_event_form_refuses_year_1_and_control_characters(rf, admin):
    request = rf.get("/")
    request.user = admin
    form_class = django_admin.site._registry[Event].get_form(request)
    form = form_class({"title": "Dag\x07", "starts_at_0": "0001-01-01", "starts_at_1": "00:00"})
    assert not form.is_valid()
    assert form.errors["starts_at"] == [DATE_RANGE] and form.errors["title"] == [CONTROL + " Ta bort dem."]


def test_event_import_rows_dated_year_1_are_refused(consultant):
    errors = event_import_errors(
        consultant,
        "Dag;Utbildning;08;0001-01-01 00:00;0001-01-01 06:00;Kalmar;10;\n",
        f"Kväll;Utbildning;08;{NEXT_YEAR}-03-05 18:00;9999-12-31 23:00;Kalmar;10;\n",
    )
    assert set(errors) == {2, 3}
    assert "Start: " + DATE_RANGE in errors[2]
    assert "Slut: " + DATE_RANGE in errors[3]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-01-01", "2027-02-30"])
def test_the_calendar_ignores_a_from_date_outside_the_range(client, day):
    event = EventFactory(title="Bokcirkel")
    for name, args in [("calendar_app:list", []), ("calendar_app:export", ["csv"])]:
        response = client.get(reverse(name, args=args), {"fran": day})
        assert response.status_code == 200
        assert event.title in response.content.decode()


@pytest.mark.parametrize("year", ["²", "0001", "9999", "١٢"])
def test_year_parameters_that_are_no_year_show_the_normal_page(client, chef, consultant, year):
    client.force_login(chef)
    response = client.get(reverse("staircase", args=["0880"]), {"ar": year})
    assert response.status_code == 200
    client.force_login(consultant)
    response = client.get(reverse("plans:region_overview", args=["08"]), {"ar": year})
    assert response.status_code == 200


# --- 3. line breaks in single-line fields ---------------------------------------------------


@pytest.mark.parametrize("field", ["title", "place", "audience"])
def test_event_single_line_fields_refuse_line_breaks(client, consultant, field):
    client.force_login(consultant)
    response = client.post(reverse("calendar_app:event_create"), event_data(**{field: "Rad ett\nRad två"}))
    assert response.status_code == 422
    assert ONE_LINE in response.content.decode()
    assert not Event.objects.exists()


def test_an_event_description_may_have_line_breaks(client, consultant):
    client.force_login(consultant)
    description = "Förmiddag: föreläsning.\r\n\r\nEftermiddag:\tworkshop."
    response = client.post(reverse("calendar_app:event_create"), event_data(description=description))
    assert response.status_code == 302
    assert Event.objects.get().description == description


def test_a_network_name_with_a_line_break_is_refused(client, consultant):
    client.force_login(consultant)
    data = {
        "name": "Sydöstra\nsamverkan",
        "purpose": "Fortbildning.\nTillsammans.",
        "regions": [organisation("08").pk],
        "visibility": "public",
        "status": "active",
    }
    response = client.post(reverse("network:create"), data)
    assert response.status_code == 422
    assert ONE_LINE in response.content.decode()
    assert not Network.objects.exists()


def test_the_ics_of_an_event_with_a_stored_line_break_in_its_title(client):
    event = EventFactory(title="Rad ett\nRad två\x07", place="Kalmar\r\nRum 3")
    calendar = parse_ics(client.get(reverse("calendar_app:event_ics", args=[event.pk])))
    assert str(calendar["X-WR-CALNAME"]) == "Rad ett Rad två"
    item = next(iter(calendar.walk("VEVENT")))
    assert str(item["SUMMARY"]) == "Rad ett Rad två" and str(item["LOCATION"]) == "Kalmar Rum 3"


def test_a_guest_signs_up_to_an_event_with_a_line_break_in_its_title(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Läsfrämjande\nför de yngsta")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_registration(client, event)
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert Registration.objects.get(event=event).status == Registration.Status.CONFIRMED
    message = mail.outbox[-1]
    assert message.to == ["lisa.nord@torsas.example.se"]
    _filename, content, _mimetype = message.attachments[0]
    calendar = Calendar.from_ical(content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Läsfrämjande för de yngsta"]


def test_a_public_network_feed_with_a_line_break_in_the_network_name(client):
    network = NetworkFactory(name="Sydöstra\nsamverkan\x07")
    EventFactory(network=network, starts_at=timezone.now() + timedelta(days=3))
    calendar = parse_ics(client.get(reverse("calendar_app:feed_network", args=[network.slug])))
    assert str(calendar["X-WR-CALNAME"]) == "Sydöstra samverkan"
    assert len(calendar.walk("VEVENT")) == 1
