"""CSV and XLSX exports of the plan list, follow-ups, the calendar and registrations: the rows
each person may see (with the list's filters, all pages), formula escaping, Swedish headers and
a query count that does not grow with the rows."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from calendar_app.models import Event, Registration
from plans.models import FollowUp, Goal, GoalFollowUp, Plan, StatusChange
from portal.models import FocusArea
from tests.factories import UserFactory, organisation
from tests.factories_calendar import EventFactory, NetworkFactory, RegistrationFactory, add_member
from tests.factories_plans import PlanFactory, adopted_plan
from tests.factories_reviews import reviewed_plan

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
# adopted_plan(**IN_FORCE): adopted last year, in force from last year until two years from now.
IN_FORCE = {"first_year": THIS_YEAR - 1, "last_year": THIS_YEAR + 2, "adopted_on": date(THIS_YEAR - 1, 3, 1)}
EVIL = ['=HYPERLINK("http://evil.example","klicka")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"]


def sv(msgid: str, context: str | None = None) -> str:
    """The Swedish text of a msgid (new msgids reach locale/ from i18n-export.json)."""
    with translation.override("sv"):
        return translation.pgettext(context, msgid) if context else translation.gettext(msgid)


def headers(*msgids) -> list[str]:
    return [sv(m) for m in msgids]


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def read_xlsx(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def column(rows, header) -> list:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def assert_no_formulas(rows):
    for row in rows:
        for value in row:
            assert not (isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r"))), value


# --- plan overview ------------------------------------------------------------------------


def test_plan_export_has_swedish_columns_and_the_listed_plans(client):
    adopted_plan(title="Biblioteksplan för Kalmar kommun", **IN_FORCE)
    rows = read_csv(client.get(reverse("plans:export", args=["csv"])))
    assert rows[0] == headers(
        "Organisation code",
        "Organisation",
        "Region",
        "Kind of plan",
        "Title",
        "First year",
        "Last year",
        "Status",
        "Adoption date",
        "Adopting body",
        "In force",
        "Latest review",
    )
    assert rows[1][:5] == ["0880", "Kalmar", "Region Kalmar län", "Kommunal biblioteksplan", rows[1][4]]
    assert rows[1][7:11] == ["Antagen", f"{THIS_YEAR - 1}-03-01", "Kommunfullmäktige", "Gällande"]
    response = client.get(reverse("plans:export", args=["xlsx"]))
    assert response["Content-Disposition"] == (
        f'attachment; filename="biblioteksplaner-{timezone.localdate():%Y-%m-%d}.xlsx"'
    )
    xlsx = read_xlsx(response)
    assert xlsx[1][5:7] == [THIS_YEAR - 1, THIS_YEAR + 2], "years are numbers in Excel"


def test_plan_export_gives_each_person_the_plans_the_list_shows(client, chef, other_chef):
    adopted_plan(title="Antagen i Kalmar", **IN_FORCE)
    PlanFactory(title="Utkast i Kalmar")
    PlanFactory(title="Utkast i Karlstad", organisation=organisation("1780"))
    url = reverse("plans:export", args=["csv"])
    assert set(column(read_csv(client.get(url)), sv("Title"))) == {"Antagen i Kalmar"}
    client.force_login(chef)
    assert set(column(read_csv(client.get(url)), sv("Title"))) == {"Antagen i Kalmar", "Utkast i Kalmar"}
    client.force_login(other_chef)
    assert set(column(read_csv(client.get(url)), sv("Title"))) == {"Antagen i Kalmar", "Utkast i Karlstad"}


def test_plan_export_keeps_the_filters_and_takes_every_page(client):
    for _ in range(30):  # more than one page of the list (25)
        adopted_plan(**IN_FORCE)
    adopted_plan("1780", title="Värmlands plan", **IN_FORCE)
    url = reverse("plans:export", args=["csv"])
    assert len(read_csv(client.get(url))) == 1 + 31
    region = organisation("17")
    rows = read_csv(client.get(f"{url}?region={region.pk}"))
    assert column(rows, sv("Title")) == ["Värmlands plan"]
    focus = FocusArea.objects.first()
    assert len(read_csv(client.get(f"{url}?focus={focus.pk}"))) == 1


def test_plan_export_shows_the_latest_review_only_to_those_who_may_read_it(client, chef, consultant):
    plan = reviewed_plan(chef, consultant, title="Granskad plan")
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ADOPTED, adopted_on=date(THIS_YEAR, 1, 2))
    url = reverse("plans:export", args=["csv"])
    assert column(read_csv(client.get(url)), sv("Latest review")) == [""]
    client.force_login(chef)
    assert column(read_csv(client.get(url)), sv("Latest review")) == [
        f"{sv('Feedback given', 'review state')}: {sv('Ready after minor changes')}"
    ]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_plan_export_escapes_formulas(client, file_format):
    for title in EVIL:
        adopted_plan(title=title, adopted_by_body="=1+1", **IN_FORCE)
    response = client.get(reverse("plans:export", args=[file_format]))
    rows = read_csv(response) if file_format == "csv" else read_xlsx(response)
    assert sorted(column(rows, sv("Title"))) == sorted("'" + title for title in EVIL)
    assert set(column(rows, sv("Adopting body"))) == {"'=1+1"}
    assert_no_formulas(rows)


def test_plan_export_query_count_does_not_grow_with_rows(
    client, chef, consultant, django_assert_max_num_queries, count_queries
):
    client.force_login(consultant)
    for _ in range(3):
        reviewed_plan(chef, consultant)
    url = reverse("plans:export", args=["xlsx"])
    few = count_queries(client, url)
    for _ in range(27):
        adopted_plan(**IN_FORCE)
    with django_assert_max_num_queries(few):
        assert len(read_xlsx(client.get(url))) == 1 + 30


# --- follow-ups ---------------------------------------------------------------------------


def follow_up(plan, year, *, by=None, status=FollowUp.Status.SUBMITTED, goal_statuses=()):
    row = FollowUp.objects.create(
        plan=plan,
        year=year,
        status=status,
        submitted_at=timezone.now() if status != FollowUp.Status.DRAFT else None,
    )
    goals = list(Goal.objects.filter(focus_area__plan=plan))
    for goal, goal_status in zip(goals, goal_statuses, strict=False):
        GoalFollowUp.objects.create(follow_up=row, goal=goal, status=goal_status)
    if by is not None:
        StatusChange.objects.create(
            plan=plan, follow_up=row, from_status="draft", to_status="submitted", by=by
        )
    return row


@pytest.fixture
def kalmar_plan(db):
    return adopted_plan(
        first_year=THIS_YEAR - 2,
        last_year=THIS_YEAR + 1,
        title="Kalmars biblioteksplan",
        sections=3,
        areas=1,
        goals=3,
        activities=0,
        indicators=0,
    )


def test_followup_export_rows_and_goal_counts(client, chef, kalmar_plan):
    achieved, in_progress = GoalFollowUp.Status.ACHIEVED, GoalFollowUp.Status.IN_PROGRESS
    follow_up(kalmar_plan, THIS_YEAR - 1, by=chef, goal_statuses=[achieved, achieved, in_progress])
    follow_up(kalmar_plan, THIS_YEAR - 2, status=FollowUp.Status.DRAFT)
    client.force_login(chef)
    response = client.get(reverse("plans:followups_export", args=["csv"]))
    assert "uppfoljningar-" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:9] == headers(
        "Organisation code",
        "Organisation",
        "Plan",
        "Year",
        "Status",
        "Submitted",
        "Submitted by",
        "Acknowledged",
        "Acknowledged by",
    )
    with translation.override("sv"):
        goal_statuses = [str(label) for label in GoalFollowUp.Status.labels]
    assert rows[0][9:] == [sv("Goals: %(status)s") % {"status": label} for label in goal_statuses]
    assert rows[1][:5] == ["0880", "Kalmar", "Kalmars biblioteksplan", str(THIS_YEAR - 1), "Inskickad"]
    assert rows[1][6] == "Anna Lindqvist"
    assert rows[1][9:] == ["0", "1", "2", "0", "0"]
    assert rows[2][3:5] == [str(THIS_YEAR - 2), "Utkast"]
    xlsx = read_xlsx(client.get(reverse("plans:followups_export", args=["xlsx"])))
    assert xlsx[1][3] == THIS_YEAR - 1 and xlsx[1][9:] == [0, 1, 2, 0, 0]


def test_followup_export_only_holds_follow_ups_the_person_may_read(
    client, chef, consultant, other_chef, other_consultant, kb, no_role, kalmar_plan
):
    follow_up(kalmar_plan, THIS_YEAR - 1, by=chef)
    karlstad = adopted_plan("1780", title="Karlstads plan", **IN_FORCE)
    follow_up(karlstad, THIS_YEAR - 1)
    url = reverse("plans:followups_export", args=["csv"])
    # The adopted Kalmar plan is in everyone's list; its follow-ups are not everyone's business.
    for user, plans in [
        (chef, ["Kalmars biblioteksplan"]),
        (consultant, ["Kalmars biblioteksplan"]),
        (other_chef, ["Karlstads plan"]),
        (other_consultant, ["Karlstads plan"]),
        (kb, ["Kalmars biblioteksplan", "Karlstads plan"]),
    ]:
        client.force_login(user)
        assert column(read_csv(client.get(url)), sv("Plan")) == plans, user
    client.force_login(consultant)
    region = organisation("17")
    assert column(read_csv(client.get(f"{url}?region={region.pk}")), "Plan") == []
    client.force_login(no_role)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_followup_export_escapes_formulas(client, chef, kalmar_plan, file_format):
    Plan.objects.filter(pk=kalmar_plan.pk).update(title="@SUM(A1:A9)")
    follow_up(kalmar_plan, THIS_YEAR - 1)
    client.force_login(chef)
    response = client.get(reverse("plans:followups_export", args=[file_format]))
    rows = read_csv(response) if file_format == "csv" else read_xlsx(response)
    assert column(rows, sv("Plan")) == ["'@SUM(A1:A9)"]
    assert_no_formulas(rows)


def test_followup_export_query_count_does_not_grow_with_rows(
    client, chef, kb, django_assert_max_num_queries, count_queries
):
    plans = [
        adopted_plan(first_year=THIS_YEAR - 5, last_year=THIS_YEAR + 4, adopted_on=date(THIS_YEAR - 1, 3, 1))
        for _ in range(10)
    ]
    for plan in plans[:3]:
        follow_up(plan, THIS_YEAR - 1, by=chef)
    client.force_login(kb)
    url = reverse("plans:followups_export", args=["xlsx"])
    few = count_queries(client, url)
    for plan in plans:
        for year in range(THIS_YEAR - 4, THIS_YEAR - 1):
            follow_up(plan, year, by=chef, goal_statuses=[GoalFollowUp.Status.ACHIEVED])
    with django_assert_max_num_queries(few):
        assert len(read_xlsx(client.get(url))) == 1 + 33


# --- events -------------------------------------------------------------------------------


@pytest.fixture
def events(db, editor):
    closed = NetworkFactory(name="Ledningsgrupp", slug="ledning", visibility="members")
    add_member(closed, editor)
    public = EventFactory(title="Öppen kurs", capacity=2)
    focus = FocusArea.objects.filter(is_active=True).first()
    public.focus_areas.set([focus])
    RegistrationFactory(event=public)
    RegistrationFactory(event=public)
    RegistrationFactory(event=public, status=Registration.Status.WAITLISTED)
    return {
        "public": public,
        "focus": focus,
        "members": EventFactory(title="Nätverksmöte", network=closed, visibility=Event.Visibility.MEMBERS),
        "draft": EventFactory(title="Utkast", status=Event.Status.DRAFT),
        "webinar": EventFactory(
            title="Webbinarium", kind=Event.Kind.WEBINAR, place="", online_url="https://meet.example/x"
        ),
        "past": EventFactory(
            title="I fjol",
            starts_at=timezone.now() - timedelta(days=300),
            ends_at=timezone.now() - timedelta(days=300) + timedelta(hours=3),
        ),
        "varmland": EventFactory(title="Värmlandsdag", organiser=organisation("17")),
    }


def test_event_export_columns(client, events):
    rows = read_csv(client.get(reverse("calendar_app:export", args=["csv"])))
    assert rows[0] == [
        *headers("Title", "Kind", "Starts", "Ends", "Place", "Organiser", "Network", "Focus areas", "Seats"),
        sv("Confirmed", "number of registrations"),
        *headers("On the waiting list", "Status"),
    ]
    by_title = {row[0]: row for row in rows[1:]}
    public = by_title["Öppen kurs"]
    assert public[1] == "Utbildning" and public[5] == "Region Kalmar län"
    assert public[2] == timezone.localtime(events["public"].starts_at).strftime("%Y-%m-%d %H:%M")
    assert public[7] == events["focus"].name
    assert public[8:] == ["2", "2", "1", sv("Published", "event status")]
    assert by_title["Webbinarium"][4] == sv("Online"), "the meeting link is for registered people only"
    xlsx = read_xlsx(client.get(reverse("calendar_app:export", args=["xlsx"])))
    assert [r for r in xlsx if r[0] == "Öppen kurs"][0][8:11] == [2, 2, 1]


@pytest.mark.parametrize(
    ("persona_name", "titles"),
    [
        ("anonymous", {"Öppen kurs", "Webbinarium", "Värmlandsdag"}),
        ("other_chef", {"Öppen kurs", "Webbinarium", "Värmlandsdag"}),
        ("editor", {"Öppen kurs", "Webbinarium", "Värmlandsdag", "Nätverksmöte"}),
        ("consultant", {"Öppen kurs", "Webbinarium", "Värmlandsdag", "Nätverksmöte", "Utkast"}),
    ],
)
def test_event_export_gives_each_person_the_events_the_list_shows(client_for, events, persona_name, titles):
    client = client_for(persona_name)
    rows = read_csv(client.get(reverse("calendar_app:export", args=["csv"])))
    assert set(column(rows, sv("Title"))) == titles


def test_event_export_keeps_the_filters(client, events):
    url = reverse("calendar_app:export", args=["csv"])
    assert column(read_csv(client.get(url + "?kind=webinar")), "Titel") == ["Webbinarium"]
    assert column(read_csv(client.get(url + "?visa=tidigare")), "Titel") == ["I fjol"]
    assert column(read_csv(client.get(f"{url}?region=17")), "Titel") == ["Värmlandsdag"]
    focus = events["focus"]
    assert column(read_csv(client.get(f"{url}?focus_area={focus.slug}")), "Titel") == ["Öppen kurs"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_event_export_escapes_formulas(client, file_format):
    for title in EVIL:
        EventFactory(title=title, place="=cmd")
    response = client.get(reverse("calendar_app:export", args=[file_format]))
    rows = read_csv(response) if file_format == "csv" else read_xlsx(response)
    assert sorted(column(rows, sv("Title"))) == sorted("'" + t for t in EVIL)
    assert_no_formulas(rows)


def test_event_export_query_count_does_not_grow_with_rows(
    client, consultant, django_assert_max_num_queries, count_queries
):
    focus = list(FocusArea.objects.all()[:2])
    for _ in range(3):
        RegistrationFactory(event=EventFactory()).event.focus_areas.set(focus)
    client.force_login(consultant)
    url = reverse("calendar_app:export", args=["csv"])
    few = count_queries(client, url)
    for _ in range(27):
        event = EventFactory()
        event.focus_areas.set(focus)
        RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    with django_assert_max_num_queries(few):
        assert len(read_csv(client.get(url))) == 1 + 30


# --- registrations across events -------------------------------------------------------------


def test_registration_export_for_the_events_the_organiser_manages(client, consultant, other_consultant):
    kalmar_event = EventFactory(title="Kalmardag")
    RegistrationFactory(event=kalmar_event, name="Åsa Öberg", email="asa@example.se")
    RegistrationFactory(event=kalmar_event, name="Bo Ek", status=Registration.Status.WAITLISTED)
    varmland_event = EventFactory(title="Värmlandsdag", organiser=organisation("17"))
    RegistrationFactory(event=varmland_event, name="Vera Värmländing")
    url = reverse("calendar_app:registrations_export", args=["csv"])
    client.force_login(consultant)
    response = client.get(url)
    assert "anmalningar-" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == headers("Event", "Date", "Name", "E-mail address", "Organisation", "Status", "Attended")
    assert [row[0] for row in rows[1:]] == ["Kalmardag", "Kalmardag"]
    assert rows[1][2:6] == ["Åsa Öberg", "asa@example.se", "Kalmar", "Bekräftad"]
    assert rows[2][5] == sv("On the waiting list")
    client.force_login(other_consultant)
    assert column(read_csv(client.get(url)), sv("Name")) == ["Vera Värmländing"]
    assert column(read_csv(client.get(url + "?kind=webinar")), "Namn") == []


def test_network_coordinator_exports_only_their_networks_registrations(client):
    coordinator = UserFactory()
    network = NetworkFactory(name="Barnbibliotekarier", slug="barn")
    add_member(network, coordinator, role="coordinator")
    RegistrationFactory(event=EventFactory(title="Nätverksträff", network=network), name="Nora Nätverk")
    RegistrationFactory(event=EventFactory(title="Annan dag"), name="Ingen Annan")
    client.force_login(coordinator)
    rows = read_csv(client.get(reverse("calendar_app:registrations_export", args=["csv"])))
    assert column(rows, sv("Name")) == ["Nora Nätverk"]


def test_registration_export_is_for_organisers_only(client, chef, editor):
    url = reverse("calendar_app:registrations_export", args=["csv"])
    assert client.get(url).status_code == 302
    for user in (chef, editor):
        client.force_login(user)
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_registration_export_escapes_formulas(client, consultant, file_format):
    event = EventFactory(title="+cmd")
    for i, name in enumerate(EVIL):
        RegistrationFactory(event=event, name=name, email=f"p{i}@example.se")
    client.force_login(consultant)
    response = client.get(reverse("calendar_app:registrations_export", args=[file_format]))
    rows = read_csv(response) if file_format == "csv" else read_xlsx(response)
    assert set(column(rows, sv("Event"))) == {"'+cmd"}
    assert sorted(column(rows, sv("Name"))) == sorted("'" + name for name in EVIL)
    assert_no_formulas(rows)


def test_registration_export_query_count_does_not_grow_with_rows(
    client, consultant, django_assert_max_num_queries, count_queries
):
    events = [EventFactory() for _ in range(3)]
    for event in events:
        RegistrationFactory(event=event)
    client.force_login(consultant)
    url = reverse("calendar_app:registrations_export", args=["xlsx"])
    few = count_queries(client, url)
    for event in events * 3:
        for _ in range(3):
            RegistrationFactory(event=event)
    events += [RegistrationFactory().event for _ in range(3)]
    with django_assert_max_num_queries(few):
        assert len(read_xlsx(client.get(url))) == 1 + 3 + 27 + 3


# --- the links on the list pages ------------------------------------------------------------


def test_plan_list_links_to_the_exports_with_its_filters(client, chef):
    adopted_plan(**IN_FORCE)
    region = organisation("08")
    page = client.get(reverse("plans:list") + f"?region={region.pk}&sida=1").content.decode()
    assert f'href="{reverse("plans:export", args=["csv"])}?region={region.pk}"' in page
    assert sv("Export Excel") in page and sv("Follow-ups as CSV") not in page
    client.force_login(chef)
    page = client.get(reverse("plans:list") + f"?region={region.pk}").content.decode()
    assert f'href="{reverse("plans:followups_export", args=["xlsx"])}?region={region.pk}"' in page


def test_event_list_links_to_the_exports_with_its_filters(client, consultant):
    EventFactory(kind=Event.Kind.WEBINAR)
    long_ago = timezone.now() - timedelta(days=100)
    EventFactory(kind=Event.Kind.WEBINAR, starts_at=long_ago, ends_at=long_ago + timedelta(hours=1))
    page = client.get(reverse("calendar_app:list") + "?kind=webinar&sida=1").content.decode()
    assert f'href="{reverse("calendar_app:export", args=["csv"])}?kind=webinar"' in page
    assert sv("Registrations as CSV") not in page
    client.force_login(consultant)
    page = client.get(reverse("calendar_app:list") + "?kind=webinar&visa=tidigare").content.decode()
    assert (
        f'href="{reverse("calendar_app:registrations_export", args=["xlsx"])}?kind=webinar&amp;visa=tidigare"'
        in page
    )


def test_exports_follow_the_word_search_and_focus_filter(client, chef, kalmar_plan):
    follow_up(kalmar_plan, THIS_YEAR - 1)
    adopted_plan(title="Annan plan", **IN_FORCE)
    focus = kalmar_plan.focus_areas.first().national
    client.force_login(chef)
    for query in ("?q=Kalmars", f"?focus={focus.pk}&q=biblioteksplan"):
        plans = read_csv(client.get(reverse("plans:export", args=["csv"]) + query))
        assert column(plans, "Titel") == ["Kalmars biblioteksplan"], query
        follow_ups = read_csv(client.get(reverse("plans:followups_export", args=["csv"]) + query))
        assert column(follow_ups, "Plan") == ["Kalmars biblioteksplan"], query


# --- a leading tab or carriage return -----------------------------------------------------

# Spreadsheet programs also run a formula behind a leading tab or carriage return, and
# django-import-export strips only a leading "=": every export must escape these too.
HIDDEN = ["\t=1+1", "\r@SUM(A1:A9)"]


def lines(values) -> list[str]:
    """The values sorted, with line ends as an XLSX file gives them back (a CR is read as LF)."""
    return sorted(value.replace("\r", "\n") for value in values)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exports_escape_a_leading_tab_or_carriage_return(client, consultant, file_format):
    event = EventFactory(title=HIDDEN[0], place=HIDDEN[1])
    for i, value in enumerate(HIDDEN):
        adopted_plan(title=value, adopted_by_body=value, **IN_FORCE)
        RegistrationFactory(event=event, name=value, email=f"p{i}@example.se")
    client.force_login(consultant)
    read = read_csv if file_format == "csv" else read_xlsx
    escaped = lines("'" + value for value in HIDDEN)
    plans = read(client.get(reverse("plans:export", args=[file_format])))
    assert lines(column(plans, sv("Title"))) == lines(column(plans, sv("Adopting body"))) == escaped
    events = read(client.get(reverse("calendar_app:export", args=[file_format])))
    assert column(events, sv("Title")) == ["'" + HIDDEN[0]]
    assert lines(column(events, sv("Place"))) == lines(["'" + HIDDEN[1]])
    registrations = read(client.get(reverse("calendar_app:registrations_export", args=[file_format])))
    assert lines(column(registrations, sv("Name"))) == escaped
