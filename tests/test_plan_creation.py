"""Creating a plan: from the template or copied forward from an adopted plan; periods, titles,
organisations and kinds that are refused."""

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import Goal, IndicatorValue, Plan
from tests.factories_plans import PlanFactory, build_plan

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _post_create(client, **overrides):
    data = {
        "organisation": "",
        "kind": "municipal",
        "title": "Biblioteksplan för Kalmar kommun",
        "first_year": YEAR + 1,
        "last_year": YEAR + 4,
        "start": "template",
        "source": "",
    }
    data.update(overrides)
    from portal.models import Organisation

    data["organisation"] = data["organisation"] or Organisation.objects.get(code="0880").pk
    return client.post(reverse("plans:create"), data)


def test_chef_creates_plan_from_template(client, chef):
    client.force_login(chef)
    response = _post_create(client)
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:edit", args=[plan.pk])
    assert plan.status == Plan.Status.DRAFT and plan.created_by == chef
    assert [s.heading for s in plan.sections.all()][:3] == [
        "Inledning och syfte",
        "Uppdrag och styrdokument",
        "Nulägesanalys och behov",
    ]
    assert plan.versions.count() == 1


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (2027, 2026, "Det sista året kan inte ligga före det första."),
        (1700, 2026, "Året måste vara 2000 eller senare."),
        (2026, 2045, "En plan kan omfatta högst 10 år."),
        ("", "", "Detta fält måste fyllas i."),
        ("tjugo", 2026, "Ange ett år med fyra siffror"),
    ],
)
def test_absurd_periods_are_refused(client, chef, first, last, message):
    client.force_login(chef)
    response = _post_create(client, first_year=first, last_year=last)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Plan.objects.exists()


def test_duplicate_title_is_refused(client, chef):
    PlanFactory(title="Biblioteksplan för Kalmar kommun")
    client.force_login(chef)
    response = _post_create(client, title="biblioteksplan för kalmar kommun")
    assert "Organisationen har redan en plan med den titeln." in response.content.decode()
    assert Plan.objects.count() == 1


def test_chef_cannot_create_for_another_municipality(client, chef):
    from portal.models import Organisation

    client.force_login(chef)
    response = _post_create(client, organisation=Organisation.objects.get(code="1780").pk)
    assert response.status_code == 200 and "Välj ett giltigt alternativ" in response.content.decode()
    assert not Plan.objects.exists()


def test_municipality_cannot_make_a_regional_plan(client, chef):
    client.force_login(chef)
    response = _post_create(client, kind="regional")
    assert "Den här typen av plan passar inte organisationen." in response.content.decode()


def test_consultant_creates_regional_activity_plan(client, consultant):
    from portal.models import Organisation

    client.force_login(consultant)
    response = _post_create(
        client,
        organisation=Organisation.objects.get(code="08").pk,
        kind="activity",
        title="Verksamhetsplan 2027",
        first_year=2027,
        last_year=2027,
    )
    assert response.status_code == 302
    assert Plan.objects.get().organisation.code == "08"


def test_copy_forward_copies_everything(client, chef):
    source = build_plan(status=Plan.Status.ADOPTED, first_year=2022, last_year=2025)
    client.force_login(chef)
    form_page = client.get(reverse("plans:copy", args=[source.pk]), follow=True)
    assert form_page.status_code == 200
    response = _post_create(
        client, start="copy", source=source.pk, title="Ny plan 2026–2029", first_year=2026, last_year=2029
    )
    assert response.status_code == 302
    copy = Plan.objects.get(title="Ny plan 2026–2029")
    assert copy.based_on == source and copy.status == Plan.Status.DRAFT
    assert copy.sections.count() == source.sections.count()
    assert (
        Goal.objects.filter(focus_area__plan=copy).count()
        == Goal.objects.filter(focus_area__plan=source).count()
    )
    assert IndicatorValue.objects.filter(indicator__goal__focus_area__plan=copy).count() == 8
