"""How much one plan may hold (`plans.limits`, issue 14, item 6): 10,000 requests to "add a section"
were all accepted. Every path that adds content stops at the limit with a Swedish message beside
the form, keeps what the person typed and writes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from plans import limits, services
from plans.models import Activity, Attachment, Goal, Indicator, Plan, PlanFocusArea, PlanVersion, Section
from portal.models import FocusArea
from tests.factories_plans import build_plan
from tests.pdfs import PDF_BYTES

pytestmark = pytest.mark.django_db

PDF = PDF_BYTES  # a real PDF: uploads are read with pypdf


def _sections(plan: Plan, count: int) -> None:
    start = plan.sections.count()
    Section.objects.bulk_create(
        Section(plan=plan, position=start + i, heading=f"Extra {i}", body="<p>x</p>") for i in range(count)
    )


def _goals(area: PlanFocusArea, count: int) -> list[Goal]:
    return Goal.objects.bulk_create(Goal(focus_area=area, title=f"Mål {i}", position=i) for i in range(count))


def test_the_limits_are_those_documented():
    assert [
        limit.most
        for limit in (
            limits.SECTIONS,
            limits.FOCUS_AREAS,
            limits.GOALS_PER_FOCUS_AREA,
            limits.GOALS,
            limits.ACTIVITIES_PER_GOAL,
            limits.ACTIVITIES,
            limits.INDICATORS_PER_GOAL,
            limits.INDICATORS,
            limits.ATTACHMENTS,
        )
    ] == [60, 20, 30, 100, 30, 400, 30, 200, 30]


def test_a_section_past_the_limit_is_refused_beside_the_heading(client, chef):
    plan = build_plan(sections=0, areas=0)
    _sections(plan, limits.SECTIONS.most)
    versions = plan.versions.count()
    client.force_login(chef)
    response = client.post(reverse("plans:section_add", args=[plan.pk]), {"heading": "Ett avsnitt till"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "En plan kan ha högst 60 avsnitt (den här skulle få 61)." in page
    assert 'value="Ett avsnitt till"' in page
    assert plan.sections.count() == 60 and plan.versions.count() == versions


def test_the_last_section_within_the_limit_is_added(client, chef):
    plan = build_plan(sections=0, areas=0)
    _sections(plan, limits.SECTIONS.most - 1)
    client.force_login(chef)
    response = client.post(reverse("plans:section_add", args=[plan.pk]), {"heading": "Det sextionde"})
    assert response.status_code == 302 and plan.sections.count() == 60


def _item_post(kind: str, parent) -> dict:
    prefix = f"{kind}-new"
    fields = {
        "fokusomrade": {"national": FocusArea.objects.first().pk, "name": "Ett område till"},
        "mal": {"title": "Ett mål till", "description": ""},
        "insats": {"what": "En insats till", "responsible": "", "timing": "2027", "status": "planned"},
        "nyckeltal": {"name": "Ett nyckeltal till", "unit": "st", "direction": "increase"},
    }[kind]
    data = {f"{prefix}-{name}": value for name, value in fields.items()}
    if parent is not None:
        data["under"] = parent.pk
    return data


def _full(kind: str, plan: Plan):
    """Fill the plan up to the per-parent limit of `kind`; return the parent to add under."""
    if kind == "fokusomrade":
        national = FocusArea.objects.first()
        PlanFocusArea.objects.bulk_create(
            PlanFocusArea(plan=plan, national=national, name=f"Område {i}", position=i)
            for i in range(limits.FOCUS_AREAS.most)
        )
        return None
    area = PlanFocusArea.objects.create(plan=plan, national=FocusArea.objects.first(), name="Område")
    if kind == "mal":
        _goals(area, limits.GOALS_PER_FOCUS_AREA.most)
        return area
    goal = Goal.objects.create(focus_area=area, title="Mål")
    if kind == "insats":
        Activity.objects.bulk_create(
            Activity(goal=goal, what=f"Insats {i}", position=i)
            for i in range(limits.ACTIVITIES_PER_GOAL.most)
        )
    else:
        Indicator.objects.bulk_create(
            Indicator(goal=goal, name=f"Nyckeltal {i}", position=i)
            for i in range(limits.INDICATORS_PER_GOAL.most)
        )
    return goal


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("fokusomrade", "En plan kan ha högst 20 fokusområden (den här skulle få 21)."),
        ("mal", "Ett fokusområde kan ha högst 30 mål (det här skulle få 31)."),
        ("insats", "Ett mål kan ha högst 30 insatser (det här skulle få 31)."),
        ("nyckeltal", "Ett mål kan ha högst 30 nyckeltal (det här skulle få 31)."),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_an_item_past_its_parents_limit_is_refused_with_the_form_kept(client, chef, kind, message, htmx):
    plan = build_plan(sections=0, areas=0)
    parent = _full(kind, plan)
    model = services.ITEM_MODELS[kind]
    before, versions = model.objects.count(), plan.versions.count()
    client.force_login(chef)
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(
        reverse("plans:item_add", args=[plan.pk, kind]), _item_post(kind, parent), headers=headers
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page and "till" in page  # the message, and the name typed
    if htmx:
        assert response["HX-Retarget"].startswith("#form-new-")
    assert model.objects.count() == before and plan.versions.count() == versions


def test_goals_past_the_plans_total_are_refused_even_under_a_roomy_focus_area(client, chef):
    plan = build_plan(sections=0, areas=0)
    national = FocusArea.objects.first()
    for a in range(4):
        area = PlanFocusArea.objects.create(plan=plan, national=national, name=f"Område {a}", position=a)
        _goals(area, 25)
    roomy = PlanFocusArea.objects.create(plan=plan, national=national, name="Tomt", position=5)
    client.force_login(chef)
    response = client.post(reverse("plans:item_add", args=[plan.pk, "mal"]), _item_post("mal", roomy))
    assert response.status_code == 422
    assert "En plan kan ha högst 100 mål (den här skulle få 101)." in response.content.decode()
    assert not roomy.goals.exists()


def test_an_attachment_past_the_limit_is_refused_beside_the_file(client, chef):
    plan = build_plan(sections=0, areas=0)
    Attachment.objects.bulk_create(
        Attachment(plan=plan, title=f"Bilaga {i}", file=f"x/{i}.pdf", original_name=f"{i}.pdf", size=1)
        for i in range(limits.ATTACHMENTS.most)
    )
    client.force_login(chef)
    response = client.post(
        reverse("plans:attachment_add", args=[plan.pk]),
        {"title": "En bilaga till", "file": SimpleUploadedFile("b.pdf", PDF)},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert (
        "En plan kan ha högst 30 bilagor (den här skulle få 31)." in page and 'value="En bilaga till"' in page
    )
    assert plan.attachments.count() == 30


def test_a_plan_past_the_limits_is_not_copied_forward(client, chef):
    source = build_plan(status=Plan.Status.ADOPTED, first_year=2022, last_year=2025, sections=0, areas=1)
    _sections(source, limits.SECTIONS.most + 1)
    client.force_login(chef)
    response = client.post(
        reverse("plans:create"),
        {
            "organisation": source.organisation_id,
            "kind": "municipal",
            "title": "Ny plan 2030–2033",
            "first_year": 2030,
            "last_year": 2033,
            "start": "copy",
            "source": source.pk,
        },
    )
    assert response.status_code == 200
    assert "En plan kan ha högst 60 avsnitt (den här skulle få 61)." in response.content.decode()
    assert not Plan.objects.filter(title="Ny plan 2030–2033").exists()


def test_a_version_past_the_limits_is_not_restored(client, chef):
    plan = build_plan(sections=1, areas=0)
    version = plan.versions.get()
    snapshot = version.snapshot
    snapshot["sections"] = [{"heading": f"Avsnitt {i}", "body": ""} for i in range(61)]
    version.snapshot = snapshot
    version.save()
    client.force_login(chef)
    response = client.post(reverse("plans:restore", args=[plan.pk, version.number]), follow=True)
    assert "Version 1 kan inte återställas: En plan kan ha högst 60 avsnitt" in response.content.decode()
    assert plan.sections.count() == 1 and plan.versions.count() == 1


def test_the_service_checks_the_limit_whichever_path_calls_it(chef):
    plan = build_plan(sections=0, areas=0)
    _sections(plan, limits.SECTIONS.most)
    with pytest.raises(limits.LimitReached) as reached:
        services.add_section(plan, chef, "Via tjänsten")
    assert str(reached.value) == "En plan kan ha högst 60 avsnitt (den här skulle få 61)."
    with translation.override("en"):  # the message is in the language of the page showing it
        assert str(reached.value) == "A plan can have at most 60 sections (this one would have 61)."
    assert not PlanVersion.objects.filter(plan=plan, summary__contains="Via tjänsten").exists()
