"""Review queue and region overview (query counts), catalogues, notifications, staircase."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plans import followups, history, reviews
from plans.models import Plan, Review
from portal.models import (
    Notification,
    Organisation,
    QualityCriterion,
    Role,
    StaircaseArea,
    StaircaseAssessment,
)
from tests.factories import member
from tests.factories_plans import adopted_plan, build_plan
from tests.factories_reviews import assess_all

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


def _populate_region(code: str) -> None:
    """Every municipality gets a chef, an adopted plan with a follow-up, a plan in review with
    an earlier closed round, and staircase levels for two years."""
    areas = list(StaircaseArea.objects.all())
    for municipality in Organisation.objects.filter(parent__code=code):
        chef = member(Role.CHEF, municipality.code)
        adopted = adopted_plan(
            municipality.code,
            first_year=THIS_YEAR - 2,
            last_year=THIS_YEAR + 1,
            adopted_on=date(THIS_YEAR - 2, 2, 1),
            adopted_by_body="KF",
            by=chef,
            sections=1,
            areas=1,
            goals=1,
            activities=0,
            indicators=1,
        )
        followups.save(adopted, chef, THIS_YEAR - 1, followups.FollowUpData(narrative="Bra"))
        working = build_plan(
            organisation=municipality, sections=1, areas=1, goals=1, activities=0, indicators=0
        )
        review = reviews.submit(working, chef)
        assess_all(review)
        reviews.close_review(review, _consultant(code), outcome="minor", summary="OK")
        working.refresh_from_db()
        history.record_version(working, chef, "Reviderade")
        reviews.submit(working, chef)
        for area in areas:
            StaircaseAssessment.objects.create(
                organisation=municipality, area=area, year=THIS_YEAR - 1, level=1
            )
            StaircaseAssessment.objects.create(organisation=municipality, area=area, year=THIS_YEAR, level=2)


_CONSULTANTS: dict = {}


def _consultant(code):
    if code not in _CONSULTANTS:
        _CONSULTANTS[code] = member(Role.CONSULTANT, code)
    return _CONSULTANTS[code]


def test_review_queue_and_region_overview_queries_do_not_grow_with_municipalities(client, count_queries):
    """Region 09 Gotland has 1 municipality, 14 Västra Götaland 49: the same number of queries."""
    _CONSULTANTS.clear()
    _populate_region("09")
    _populate_region("14")
    counts = {}
    for code, expected_rows in (("09", 1), ("14", 49)):
        client.force_login(_consultant(code))
        queue_count = count_queries(client, reverse("plans:review_queue"))
        assert count_queries.response.text.count("(inskickad igen)") == expected_rows
        overview_count = count_queries(client, reverse("plans:region_overview", args=[code]))
        assert count_queries.response.text.count("Klar efter mindre ändringar") == expected_rows
        stairs_count = count_queries(client, reverse("staircase_region", args=[code]) + f"?ar={THIS_YEAR}")
        stairs = count_queries.response.text
        assert stairs.count("upp från 1") == expected_rows * StaircaseArea.objects.count()
        dashboard_count = count_queries(client, reverse("dashboard"))
        counts[code] = (queue_count, overview_count, stairs_count, dashboard_count)
    assert counts["09"] == counts["14"]
    queue_count, overview_count, stairs_count, _ = counts["14"]
    assert queue_count <= 9 and overview_count <= 9 and stairs_count <= 8


def test_review_queue_shows_waiting_time_oldest_first(client, chef, consultant):
    old = build_plan(areas=1, goals=1, title="Äldre plan")
    new = build_plan(areas=1, goals=1, title="Nyare plan")
    reviews.submit(old, chef)
    reviews.submit(new, chef)
    Review.objects.filter(plan=old).update(submitted_at=timezone.now() - timedelta(days=12))
    client.force_login(consultant)
    page = client.get(reverse("plans:review_queue")).content.decode()
    assert page.index("Äldre plan") < page.index("Nyare plan")
    assert "12 dagar" in page


def test_region_overview_marks_statuses_with_text_not_only_colour(client, chef, consultant):
    build_plan(areas=1, goals=1)
    client.force_login(consultant)
    page = client.get(reverse("plans:region_overview", args=["08"])).content.decode()
    assert "Ingen antagen plan" in page and "Utkast" in page and "Aldrig granskad" in page


def test_notifications_list_unread_count_and_mark_read(client, chef):
    from portal.notifications import notify

    notify([chef], text="Ny återkoppling", url="/planer/")
    notify([chef], text="Ännu en", url="/oversikt/")
    chef.refresh_from_db()
    assert chef.unread_notification_count == 2
    client.force_login(chef)
    page = client.get(reverse("notifications")).content.decode()
    assert '2<span class="visually-hidden"> olästa' in page and "Ny återkoppling" in page
    first = Notification.objects.get(text="Ny återkoppling")
    response = client.post(reverse("notification_open", args=[first.pk]))
    assert response["Location"] == "/planer/"
    chef.refresh_from_db()
    assert chef.unread_notification_count == 1
    client.post(reverse("notifications_read"))
    chef.refresh_from_db()
    assert chef.unread_notification_count == 0 and not Notification.objects.unread().exists()


def test_notification_links_never_leave_the_portal(client, chef):
    note = Notification.objects.create(user=chef, text="x", url="https://evil.example.com/")
    client.force_login(chef)
    assert client.post(reverse("notification_open", args=[note.pk]))["Location"] == reverse("notifications")


def test_kb_maintains_the_catalogues(client, kb):
    client.force_login(kb)
    response = client.post(
        reverse("catalogue_add", args=["kvalitetskriterier"]),
        {
            "name": "Lättläst",
            "description": "Planen tar upp lättläst.",
            "law_reference": "4 §",
            "sort_order": 200,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert QualityCriterion.objects.filter(name="Lättläst", is_active=True).exists()
    response = client.post(
        reverse("catalogue_add", args=["kvalitetskriterier"]), {"name": "Lättläst", "sort_order": 1}
    )
    assert response.status_code == 422
    response = client.post(
        reverse("catalogue_add", args=["utvecklingstrappa"]),
        {
            "name": "Mediestrategi",
            "sort_order": 60,
            "is_active": "on",
            **{f"level_{n}_title": f"Nivå {n}" for n in range(1, 5)},
        },
    )
    assert response.status_code == 302
    assert StaircaseArea.objects.get(name="Mediestrategi").levels.count() == 4
    response = client.post(
        reverse("catalogue_add", args=["fokusomraden"]),
        {"name": "Läsfrämjande för äldre", "sort_order": 5, "is_active": "on"},
    )
    assert response.status_code == 302
    page = client.get(reverse("catalogues")).content.decode()
    assert "Mätbara mål" in page and "Läsfrämjande för äldre" in page and "Utlån per invånare" in page


def test_staircase_records_levels_and_shows_the_change(client, chef, consultant):
    area = StaircaseArea.objects.first()
    client.force_login(chef)
    url = reverse("staircase", args=["0880"])
    client.post(url + f"?ar={THIS_YEAR - 1}", {f"level_{area.pk}": "1", f"comment_{area.pk}": "Start"})
    response = client.post(
        url + f"?ar={THIS_YEAR}", {f"level_{area.pk}": "3", f"comment_{area.pk}": "Bättre"}
    )
    assert response.status_code == 302
    assert StaircaseAssessment.objects.get(year=THIS_YEAR, area=area).level == 3
    response = client.post(url + f"?ar={THIS_YEAR}", {f"level_{area.pk}": "9"})
    assert response.status_code == 422
    assert StaircaseAssessment.objects.get(year=THIS_YEAR, area=area).level == 3
    client.force_login(consultant)
    page = client.get(reverse("staircase_region", args=["08"]) + f"?ar={THIS_YEAR}").content.decode()
    assert "upp från 1" in page


def test_plan_header_offers_the_right_transition(client, chef, consultant):
    plan = build_plan(areas=1, goals=1)
    client.force_login(chef)
    assert "Skicka för granskning" in client.get(plan.get_absolute_url()).content.decode()
    reviews.submit(plan, chef)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Ta tillbaka från granskning" in page and "är låst" in page
    client.force_login(consultant)
    assert "Granska planen" in client.get(plan.get_absolute_url()).content.decode()
    assert Plan.objects.get().status == "in_review"


def test_opening_the_review_marks_its_notifications_read(client, chef, consultant):
    plan = build_plan(areas=1, goals=1)
    review = reviews.submit(plan, chef)
    consultant.refresh_from_db()
    assert consultant.unread_notification_count == 1
    client.force_login(consultant)
    client.get(review.get_absolute_url())
    consultant.refresh_from_db()
    assert consultant.unread_notification_count == 0
    assert not Notification.objects.unread().filter(user=consultant).exists()


@pytest.mark.parametrize("year", ["²", "٢٠٢٦", str(10**23)])
def test_a_year_in_the_query_string_that_is_no_number_shows_this_year(client, consultant, year):
    """ "²" is a digit to str.isdigit(), but int() refuses it (a 500)."""
    client.force_login(consultant)
    for url in (reverse("plans:region_overview", args=["08"]), reverse("staircase_region", args=["08"])):
        assert client.get(url, {"ar": year}).status_code == 200
