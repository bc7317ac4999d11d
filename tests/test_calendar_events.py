"""Organisers: create, edit, publish, cancel, copy events; participants, attendance, export."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from calendar_app import services
from calendar_app.models import Event, Registration
from calendar_app.queries import visible_events
from portal.exports import escape_cell
from portal.models import FocusArea
from portal.rules import can
from tests.factories import UserFactory, organisation
from tests.factories_calendar import EventFactory, NetworkFactory, RegistrationFactory, add_member

pytestmark = pytest.mark.django_db

# The events created through the form are next year's: still ahead whenever the tests run.
NEXT_YEAR = timezone.localdate().year + 1


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
        "registration_closes_at": f"{NEXT_YEAR}-03-01T23:59",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def test_consultant_creates_a_draft_in_stockholm_time_and_publishes_it(client, consultant):
    client.force_login(consultant)
    response = client.post(reverse("calendar_app:event_create"), event_data())
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.status == Event.Status.DRAFT and event.created_by == consultant
    assert timezone.localtime(event.starts_at).hour == 9
    assert event.starts_at.utcoffset().total_seconds() == 0  # stored in UTC
    assert event.starts_at.isoformat().startswith(f"{NEXT_YEAR}-03-09T08:00")  # CET, UTC+1
    assert list(event.focus_areas.values_list("slug", flat=True)) == ["lasframjande-och-spraklig-mangfald"]
    assert client.get(reverse("calendar_app:list")).content.decode().count("Språkcafé i praktiken") == 1
    assert "Språkcafé" not in client.__class__().get(reverse("calendar_app:list")).content.decode()
    client.post(reverse("calendar_app:event_publish", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert "Språkcafé" in client.__class__().get(reverse("calendar_app:list")).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": f"{NEXT_YEAR}-03-09T08:00"}, "ends_at", "Evenemanget måste sluta efter att det börjar."),
        ({"capacity": "0"}, "capacity", "Antalet platser måste vara minst 1."),
        ({"capacity": "-5"}, "capacity", "Antalet platser måste vara minst 1."),
        ({"capacity": "många"}, "capacity", "Fyll i ett heltal."),
        ({"place": ""}, "place", "Ange en plats, en länk för digitalt deltagande eller båda."),
        (
            {"registration_closes_at": f"{NEXT_YEAR}-04-01T00:00"},
            "registration_closes_at",
            "Anmälan måste stänga innan",
        ),
        ({"starts_at": "9 mars"}, "starts_at", "Fyll i ett giltigt datum/tid."),
        ({"organiser": "REGION17"}, "organiser", "Välj ett giltigt alternativ"),
    ],
    ids=[
        "end_before_start",
        "capacity_0",
        "capacity_negative",
        "capacity_text",
        "no_place",
        "closes_late",
        "bad_date",
        "other_region",
    ],
)
def test_bad_event_input_gets_a_swedish_message_and_saves_nothing(
    client, consultant, overrides, field, message
):
    client.force_login(consultant)
    if overrides.get("organiser") == "REGION17":
        overrides["organiser"] = organisation("17").pk
    response = client.post(reverse("calendar_app:event_create"), event_data(**overrides))
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    assert f'href="#id_{field}"' in body
    assert not Event.objects.exists()


def test_capacity_cannot_go_below_confirmed_participants(client, consultant):
    event = EventFactory(capacity=3)
    for _ in range(3):
        RegistrationFactory(event=event)
    client.force_login(consultant)
    start = timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M")
    end = timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("calendar_app:event_edit", args=[event.pk]),
        event_data(capacity="2", starts_at=start, ends_at=end, registration_closes_at=""),
    )
    assert response.status_code == 422
    assert "3 personer har redan en bekräftad plats" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 3


def test_editing_a_published_event_bumps_the_sequence(client, consultant):
    event = EventFactory()
    client.force_login(consultant)
    start = timezone.localtime(event.starts_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    end = timezone.localtime(event.ends_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("calendar_app:event_edit", args=[event.pk]),
        event_data(starts_at=start, ends_at=end, registration_closes_at=""),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.sequence == 1 and event.title == "Språkcafé i praktiken"


def test_organiser_from_another_region_gets_404_on_edit_by_url(client, other_consultant):
    event = EventFactory(title="Kalmar-dagen")
    client.force_login(other_consultant)
    assert client.get(reverse("calendar_app:event_edit", args=[event.pk])).status_code == 404
    response = client.post(reverse("calendar_app:event_edit", args=[event.pk]), event_data(title="Kapad"))
    assert response.status_code == 404
    assert client.post(reverse("calendar_app:event_cancel", args=[event.pk])).status_code == 404
    event.refresh_from_db()
    assert event.title == "Kalmar-dagen" and event.status == Event.Status.PUBLISHED


def test_network_coordinator_creates_events_for_their_network_only(client):
    network = NetworkFactory(name="Barnbibliotekarier i Kalmar län")
    other = NetworkFactory(name="Annat nätverk", regions=["17"])
    coordinator = UserFactory()
    add_member(network, coordinator, role="coordinator")
    client.force_login(coordinator)
    page = client.get(reverse("calendar_app:event_create") + f"?natverk={network.slug}")
    assert page.status_code == 200
    assert "Annat nätverk" not in page.content.decode()
    response = client.post(
        reverse("calendar_app:event_create"), event_data(network=other.pk, kind="network_meeting")
    )
    assert response.status_code == 422
    response = client.post(
        reverse("calendar_app:event_create"), event_data(network=network.pk, kind="network_meeting")
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert client.get(reverse("calendar_app:event_edit", args=[event.pk])).status_code == 200


def test_cancelling_notifies_everyone_registered_and_closes_registration(
    client, consultant, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Bokcirkelledare", capacity=1)
    services.register(event, name="Ett", email="ett@example.se", consent=True)
    services.register(event, name="Två", email="tva@example.se", consent=True)
    mail.outbox.clear()
    client.force_login(consultant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("calendar_app:event_cancel", args=[event.pk]), {"message": "Ny tid i vår."}
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["ett@example.se", "tva@example.se"]
    assert all("Inställt: Bokcirkelledare" in m.subject and "Ny tid i vår." in m.body for m in mail.outbox)
    assert "STATUS:CANCELLED" in str(mail.outbox[0].attachments[0][1])
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED and event.sequence == 1
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Evenemanget är inställt." in page
    assert client.get(reverse("calendar_app:event_edit", args=[event.pk])).status_code == 302


def test_copy_makes_a_draft_a_week_later_without_registrations(client, consultant):
    event = EventFactory(title="Nätverksträff barn")
    event.focus_areas.set(FocusArea.objects.filter(slug="barn-och-unga"))
    RegistrationFactory(event=event)
    client.force_login(consultant)
    response = client.post(reverse("calendar_app:event_copy", args=[event.pk]))
    copy = Event.objects.exclude(pk=event.pk).get()
    assert response["Location"] == reverse("calendar_app:event_edit", args=[copy.pk])
    assert copy.status == Event.Status.DRAFT and copy.title == "Nätverksträff barn"
    assert copy.starts_at == event.starts_at + timedelta(days=7)
    assert copy.registrations.count() == 0 and copy.confirmed_count == 0
    assert list(copy.focus_areas.values_list("slug", flat=True)) == ["barn-och-unga"]


def test_organiser_marks_attendance_after_the_event(client, consultant):
    event = EventFactory(
        starts_at=timezone.now() - timedelta(days=1), ends_at=timezone.now() - timedelta(hours=20)
    )
    # A four-digit id must not be rendered with a thousands separator ("1 544").
    came, absent = RegistrationFactory(event=event, pk=12345), RegistrationFactory(event=event)
    client.force_login(consultant)
    page = client.get(reverse("calendar_app:participants", args=[event.pk])).content.decode()
    assert came.name in page and "Spara närvaro" in page
    assert 'value="12345"' in page
    response = client.post(
        reverse("calendar_app:participants", args=[event.pk]), {"attended": [str(came.pk), "x"]}
    )
    assert response.status_code == 302
    came.refresh_from_db()
    absent.refresh_from_db()
    assert came.attended is True and absent.attended is False


def test_attendance_cannot_be_marked_before_the_event(client, consultant):
    event = EventFactory()
    RegistrationFactory(event=event)
    client.force_login(consultant)
    page = client.get(reverse("calendar_app:participants", args=[event.pk])).content.decode()
    assert "Närvaro kan markeras när evenemanget har börjat." in page


def test_attendance_posted_before_the_event_is_refused_with_a_message(client, consultant):
    """The form is hidden before the start, but a post (an old tab, a script) must not record
    anyone as attended or absent either."""
    event = EventFactory()  # in two weeks
    registration = RegistrationFactory(event=event)
    client.force_login(consultant)
    response = client.post(
        reverse("calendar_app:participants", args=[event.pk]), {"attended": [str(registration.pk)]}
    )
    assert response.status_code == 422
    assert "Närvaron sparades inte: evenemanget har inte börjat än." in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended is None


def test_the_attendance_service_refuses_before_the_start_and_accepts_from_the_start():
    event = EventFactory()
    registration = RegistrationFactory(event=event)
    with pytest.raises(services.AttendanceError):
        services.mark_attendance(event, {registration.pk}, now=event.starts_at - timedelta(minutes=1))
    registration.refresh_from_db()
    assert registration.attended is None
    assert services.mark_attendance(event, {registration.pk}, now=event.starts_at) == 1


@pytest.mark.parametrize("bad", [str(10**23), "²"])
def test_attendance_with_an_id_the_database_cannot_hold_is_ignored(client, consultant, bad):
    """ "²" passes str.isdigit() but not int(); 10**23 reached the database driver (a 500)."""
    event = EventFactory(
        starts_at=timezone.now() - timedelta(days=1), ends_at=timezone.now() - timedelta(hours=20)
    )
    came = RegistrationFactory(event=event)
    client.force_login(consultant)
    response = client.post(
        reverse("calendar_app:participants", args=[event.pk]), {"attended": [str(came.pk), bad]}
    )
    assert response.status_code == 302
    came.refresh_from_db()
    assert came.attended is True


def test_event_form_refuses_a_focus_area_id_the_database_cannot_hold(client, consultant):
    client.force_login(consultant)
    response = client.post(reverse("calendar_app:event_create"), event_data(focus_areas=[str(10**23)]))
    assert response.status_code == 422
    assert "är inte ett giltigt värde" in response.content.decode()
    assert not Event.objects.exists()


def test_event_form_ignores_a_network_that_is_no_slug(client, consultant):
    """A NUL in `?natverk=` reached PostgreSQL, which refuses it with an error (a 500)."""
    client.force_login(consultant)
    assert client.get(reverse("calendar_app:event_create"), {"natverk": "a\x00b"}).status_code == 200


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_escape_cell_neutralises_formulas(value):
    assert escape_cell(value) == "'" + value


def test_escape_cell_leaves_normal_values():
    assert escape_cell("Anna Lindqvist") == "Anna Lindqvist"
    assert escape_cell(3) == 3


def test_export_csv_and_xlsx_escape_formula_injection(client, consultant):
    event = EventFactory()
    RegistrationFactory(event=event, name='=HYPERLINK("http://evil")', needs="@SUM(1)", email="a@example.se")
    RegistrationFactory(event=event, name="Åsa Öberg", needs="-laktosfri", email="b@example.se")
    client.force_login(consultant)
    response = client.get(reverse("calendar_app:participants_export", args=[event.pk, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Namn", "E-postadress", "Organisation"]
    assert rows[1][0] == '\'=HYPERLINK("http://evil")' and rows[1][5] == "'@SUM(1)"
    assert rows[2][0] == "Åsa Öberg" and rows[2][5] == "'-laktosfri"
    response = client.get(reverse("calendar_app:participants_export", args=[event.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][0].startswith("'=") and values[1][3] == "Bekräftad"
    assert all(not (isinstance(v, str) and v[:1] in "=+-@") for row in values for v in row)


def test_list_filters_work_as_links_and_htmx_fragments(client):
    kalmar = EventFactory(title="Kalmar-utbildning", kind="training")
    kalmar.focus_areas.set(FocusArea.objects.filter(slug="tillganglighet"))
    EventFactory(title="Värmlands-webbinarium", kind="webinar", organiser=organisation("17"))
    full = EventFactory(title="Fullbokad kurs", capacity=1)
    RegistrationFactory(event=full)
    url = reverse("calendar_app:list")

    def titles(query, **headers):
        body = client.get(url + query, **headers).content.decode()
        return {t for t in ("Kalmar-utbildning", "Värmlands-webbinarium", "Fullbokad kurs") if t in body}

    assert titles("") == {"Kalmar-utbildning", "Värmlands-webbinarium", "Fullbokad kurs"}
    assert titles("?region=17") == {"Värmlands-webbinarium"}
    assert titles("?kind=training") == {"Kalmar-utbildning", "Fullbokad kurs"}
    assert titles("?focus_area=tillganglighet") == {"Kalmar-utbildning"}
    assert titles("?free_seats=on") == {"Kalmar-utbildning", "Värmlands-webbinarium"}
    fragment = client.get(url + "?region=08", headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content and b'id="results"' in fragment.content
    assert titles("?region=nonsense") == {"Kalmar-utbildning", "Värmlands-webbinarium", "Fullbokad kurs"}


def test_month_view_places_events_on_their_days(client):
    EventFactory(
        title="Vårkonferens",
        starts_at=timezone.make_aware(timezone.datetime(2027, 4, 14, 9, 0)),
        ends_at=timezone.make_aware(timezone.datetime(2027, 4, 15, 16, 0)),
    )
    body = client.get(reverse("calendar_app:month", args=[2027, 4])).content.decode()
    assert "April 2027" in body
    assert body.count("Vårkonferens") == 2  # both days
    assert "09.00–16.00" in body
    assert client.get(reverse("calendar_app:month", args=[2027, 13])).status_code == 404
    fragment = client.get(
        reverse("calendar_app:month", args=[2027, 4]) + "?kind=webinar", headers={"HX-Request": "true"}
    )
    assert b"<html" not in fragment.content and "Vårkonferens" not in fragment.content.decode()


def test_members_only_event_is_hidden_from_lists_for_outsiders(client, editor, chef):
    network = NetworkFactory(visibility="members")
    add_member(network, editor)
    EventFactory(title="Intern träff", network=network, visibility="members")
    assert "Intern träff" not in client.get(reverse("calendar_app:list")).content.decode()
    client.force_login(chef)
    assert "Intern träff" not in client.get(reverse("calendar_app:list")).content.decode()
    client.force_login(editor)
    assert "Intern träff" in client.get(reverse("calendar_app:list")).content.decode()


# A members-only event without a network, organised by Region Kalmar län: for the people of the
# region (Kalmar's chef and editor, the consultant, who also manages it) and the operator only.
REGION_ONLY = {
    "anonymous": False,
    "chef": True,
    "editor": True,
    "consultant": True,
    "other_chef": False,
    "other_consultant": False,
    "kb": False,
    "admin": True,
    "no_role": False,
}


@pytest.mark.parametrize("name", REGION_ONLY)
def test_members_only_event_without_a_network_is_for_the_organisers_region(client, persona, name):
    event = EventFactory(title="Regionens interna träff", visibility=Event.Visibility.MEMBERS)
    user = persona(name)
    if user is not None:
        client.force_login(user)
    sees = REGION_ONLY[name]
    assert can(user or AnonymousUser(), "calendar_app.view_event", event) is sees
    assert visible_events(user or AnonymousUser()).filter(pk=event.pk).exists() is sees
    assert ("Regionens interna träff" in client.get(reverse("calendar_app:list")).content.decode()) is sees
    assert client.get(event.get_absolute_url()).status_code == (200 if sees else 404)


def test_seats_left_on_event_page(client):
    event = EventFactory(capacity=5)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    body = client.get(event.get_absolute_url()).content.decode()
    assert "4 av 5 platser kvar" in body


def test_busy_day_in_month_view_links_to_the_list_from_that_day(client):
    start = timezone.make_aware(timezone.datetime(2027, 9, 8, 9, 0))
    for i in range(6):
        EventFactory(title=f"Septemberkurs {i}", starts_at=start, ends_at=start + timedelta(hours=2))
    body = client.get(reverse("calendar_app:month", args=[2027, 9]) + "?kind=training").content.decode()
    assert body.count("Septemberkurs") == 4
    assert "2 till" in body and "kind=training&amp;fran=2027-09-08" in body
    listing = client.get(reverse("calendar_app:list") + "?kind=training&fran=2027-09-08").content.decode()
    assert "Evenemang från 8 september 2027" in listing and listing.count("Septemberkurs") == 6
