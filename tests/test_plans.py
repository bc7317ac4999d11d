import threading
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from plans import history, services
from plans.models import (
    Attachment,
    Goal,
    Indicator,
    IndicatorValue,
    Plan,
    PlanFocusArea,
    Section,
)
from tests.factories_plans import PlanFactory, build_plan, focus_area

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


# --- creating -----------------------------------------------------------------------------


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


# --- sections, sanitising, conflicts ------------------------------------------------------


def _section_post(client, plan, section, version, heading="Inledning", body="<p>Ny text</p>", **headers):
    prefix = f"s{section.pk}"
    return client.post(
        reverse("plans:section_save", args=[plan.pk, section.pk]),
        {f"{prefix}-heading": heading, f"{prefix}-body": body, f"{prefix}-version": version},
        headers=headers,
    )


def test_section_save_sanitises_html(client, chef):
    plan = build_plan()
    section = plan.sections.first()
    client.force_login(chef)
    body = (
        '<p onclick="x()" style="color:red">Hej <strong>där</strong></p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">farlig</a><a href="https://www.kb.se">KB</a>'
    )
    response = _section_post(client, plan, section, section.version, body=body)
    assert response.status_code == 302
    section.refresh_from_db()
    assert "script" not in section.body and "onclick" not in section.body and "style" not in section.body
    assert "javascript:" not in section.body
    assert "<strong>där</strong>" in section.body and 'href="https://www.kb.se"' in section.body


def test_htmx_autosave_returns_status_with_new_version(client, chef):
    plan = build_plan()
    section = plan.sections.first()
    client.force_login(chef)
    response = _section_post(client, plan, section, section.version, **{"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{section.version + 1}"' in html and "Sparat" in html


def test_second_save_with_stale_version_gets_conflict_view(client, chef, editor):
    plan = build_plan()
    section = plan.sections.first()
    version = section.version
    client.force_login(chef)
    assert _section_post(client, plan, section, version, body="<p>Annas text</p>").status_code == 302
    client.force_login(editor)
    response = _section_post(client, plan, section, version, body="<p>Eriks text</p>")
    html = response.content.decode()
    assert response.status_code == 409
    assert "Annas text" in html and "Eriks text" in html
    assert "Ingenting har skrivits över" in html
    section.refresh_from_db()
    assert section.body == "<p>Annas text</p>"


def test_conflict_over_htmx_retargets_the_section(client, chef):
    plan = build_plan()
    section = plan.sections.first()
    client.force_login(chef)
    _section_post(client, plan, section, section.version)
    response = _section_post(client, plan, section, section.version, **{"HX-Request": "true"})
    assert response.status_code == 409
    assert response["HX-Retarget"] == f"#section-{section.pk}"


@pytest.mark.django_db(transaction=True)
def test_racing_saves_on_the_same_section_exactly_one_wins():
    """Two people save the same section at the same moment from the same version."""
    if connection.vendor != "postgresql":
        pytest.skip("The race needs real concurrent connections (PostgreSQL, as in CI).")
    from portal.models import Role
    from tests.conftest import member

    plan = build_plan(sections=1)
    section = plan.sections.get()
    users = [member(Role.CHEF, "0880"), member(Role.EDITOR, "0880")]
    start = threading.Barrier(2)
    outcome = []

    def save(user, text):
        from django.db import connections

        try:
            start.wait()
            services.save_section(
                Section.objects.select_related("plan").get(pk=section.pk),
                user,
                version=section.version,
                heading="Rubrik",
                body=f"<p>{text}</p>",
            )
            outcome.append("saved")
        except services.Conflict:
            outcome.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(u, f"text {i}")) for i, u in enumerate(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcome) == ["conflict", "saved"]
    section.refresh_from_db()
    assert section.version == 2


def test_adding_moving_and_removing_sections(client, chef):
    plan = build_plan(sections=2)
    client.force_login(chef)
    client.post(reverse("plans:section_add", args=[plan.pk]), {"heading": "Bilaga: statistik"})
    headings = list(plan.sections.values_list("heading", flat=True))
    assert headings == ["Avsnitt 0", "Avsnitt 1", "Bilaga: statistik"]
    last = plan.sections.get(heading="Bilaga: statistik")
    client.post(reverse("plans:item_move", args=[plan.pk, "avsnitt", last.pk]), {"direction": "up"})
    assert list(plan.sections.values_list("heading", flat=True)) == [
        "Avsnitt 0",
        "Bilaga: statistik",
        "Avsnitt 1",
    ]
    client.post(reverse("plans:item_delete", args=[plan.pk, "avsnitt", last.pk]))
    assert list(plan.sections.values_list("heading", flat=True)) == ["Avsnitt 0", "Avsnitt 1"]


# --- focus areas, goals, activities, indicators -------------------------------------------


def test_focus_area_goal_activity_indicator_with_swedish_decimals(client, editor):
    plan = build_plan(areas=0)
    client.force_login(editor)
    client.post(
        reverse("plans:item_add", args=[plan.pk, "fokusomrade"]),
        {
            "fokusomrade-new-national": focus_area("tillganglighet").pk,
            "fokusomrade-new-name": "Öppna bibliotek",
            "fokusomrade-new-description": "Fler timmar",
        },
    )
    area = PlanFocusArea.objects.get(plan=plan)
    client.post(
        reverse("plans:item_add", args=[plan.pk, "mal"]),
        {"under": area.pk, "mal-new-title": "Längre öppettider", "mal-new-description": ""},
    )
    goal = Goal.objects.get(focus_area=area)
    client.post(
        reverse("plans:item_add", args=[plan.pk, "insats"]),
        {
            "under": goal.pk,
            "insats-new-what": "Meröppet i Rinkabyholm",
            "insats-new-responsible": "Bibliotekschef",
            "insats-new-timing": "2027",
            "insats-new-status": "planned",
        },
    )
    response = client.post(
        reverse("plans:item_add", args=[plan.pk, "nyckeltal"]),
        {
            "under": goal.pk,
            "nyckeltal-new-name": "Öppettimmar per vecka",
            "nyckeltal-new-unit": "timmar",
            "nyckeltal-new-baseline_year": "2025",
            "nyckeltal-new-baseline_value": "142,5",
            "nyckeltal-new-target_year": "2029",
            "nyckeltal-new-target_value": "190",
            "nyckeltal-new-direction": "increase",
            "nyckeltal-new-value_2026": "150,25",
            "nyckeltal-new-value_2027": "",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(goal=goal)
    assert str(indicator.baseline_value) == "142.50"
    assert {v.year: str(v.value) for v in indicator.values.all()} == {2026: "150.25"}
    assert goal.activities.get().what == "Meröppet i Rinkabyholm"
    assert plan.versions.count() == 5


def test_bad_indicator_value_keeps_everything_and_says_why(client, chef):
    plan = build_plan(areas=1, goals=1, indicators=0)
    goal = Goal.objects.get(focus_area__plan=plan)
    client.force_login(chef)
    response = client.post(
        reverse("plans:item_add", args=[plan.pk, "nyckeltal"]),
        {
            "under": goal.pk,
            "nyckeltal-new-name": "Utlån",
            "nyckeltal-new-baseline_value": "tolv",
            "nyckeltal-new-direction": "increase",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Ange ett tal, till exempel 12,5." in html and 'value="Utlån"' in html
    assert not Indicator.objects.filter(goal=goal).exists()


def test_stale_goal_edit_is_a_conflict(client, chef):
    plan = build_plan(areas=1, goals=1)
    goal = Goal.objects.get(focus_area__plan=plan)
    client.force_login(chef)
    url = reverse("plans:item_save", args=[plan.pk, "mal", goal.pk])
    prefix = f"mal-{goal.pk}"
    first = client.post(url, {f"{prefix}-title": "Första", f"{prefix}-version": goal.version})
    second = client.post(url, {f"{prefix}-title": "Andra", f"{prefix}-version": goal.version})
    assert first.status_code == 302 and second.status_code == 409
    goal.refresh_from_db()
    assert goal.title == "Första"


def test_htmx_item_save_returns_the_refreshed_tree(client, chef):
    plan = build_plan(areas=1, goals=1)
    goal = Goal.objects.get(focus_area__plan=plan)
    client.force_login(chef)
    prefix = f"mal-{goal.pk}"
    response = client.post(
        reverse("plans:item_save", args=[plan.pk, "mal", goal.pk]),
        {f"{prefix}-title": "Nytt namn", f"{prefix}-version": goal.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="focus-tree"' in response.content.decode() and "Nytt namn" in response.content.decode()


def test_item_of_another_plan_is_404(client, chef):
    mine = build_plan(areas=1, goals=1)
    other = build_plan(areas=1, goals=1)
    goal = Goal.objects.get(focus_area__plan=other)
    client.force_login(chef)
    assert client.get(reverse("plans:item_save", args=[mine.pk, "mal", goal.pk])).status_code == 404


# --- history ------------------------------------------------------------------------------


def test_history_diff_and_restore(client, chef):
    plan = build_plan(sections=1)
    section = plan.sections.get()
    client.force_login(chef)
    _section_post(client, plan, section, section.version, heading="Avsnitt 0", body="<p>Helt ny mening.</p>")
    assert plan.versions.count() == 2
    page = client.get(reverse("plans:history", args=[plan.pk]))
    assert "Redigerade avsnittet" in page.content.decode()
    diff = client.get(reverse("plans:compare", args=[plan.pk]) + "?fran=1&till=2").content.decode()
    assert (
        "Helt ny mening." in diff and "diff-line--added" in diff and "Text 0 om bibliotekens arbete." in diff
    )
    response = client.post(reverse("plans:restore", args=[plan.pk, 1]))
    assert response.status_code == 302
    assert plan.versions.count() == 3
    assert plan.versions.first().summary == "Återställde version 1"
    assert "Text 0" in plan.sections.get().body


def test_autosaves_of_the_same_section_fold_into_one_version(chef):
    plan = build_plan(sections=1)
    section = Section.objects.select_related("plan").get(plan=plan)
    for text in ("a", "ab", "abc"):
        section = services.save_section(
            section, chef, version=section.version, heading="H", body=f"<p>{text}</p>"
        )
    assert plan.versions.count() == 2
    assert plan.versions.first().snapshot["sections"][0]["body"] == "<p>abc</p>"


# --- attachments and adoption -------------------------------------------------------------

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_upload_pdf_and_download(client, chef):
    plan = build_plan()
    client.force_login(chef)
    upload = SimpleUploadedFile("underlag.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("plans:attachment_add", args=[plan.pk]), {"title": "Enkätresultat", "file": upload}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    download = client.get(reverse("plans:attachment_download", args=[plan.pk, attachment.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"MZ\x90\x00 this is an exe", "Filen är inte ett PDF-"),
        ("plan.pdf", b"", "Den skickade filen är tom."),
    ],
)
def test_bad_uploads_are_refused(client, chef, name, content, message):
    plan = build_plan()
    client.force_login(chef)
    response = client.post(
        reverse("plans:attachment_add", args=[plan.pk]),
        {"title": "Plan", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_fifty_megabyte_upload_is_refused(client, chef, settings):
    plan = build_plan()
    client.force_login(chef)
    big = SimpleUploadedFile("plan.pdf", b"%PDF-" + b"0" * (50 * 1024 * 1024))
    response = client.post(reverse("plans:attachment_add", args=[plan.pk]), {"title": "Stor", "file": big})
    assert response.status_code == 422
    assert "den största tillåtna storleken är 20,0\xa0MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_chef_records_adoption_with_document(client, chef):
    plan = build_plan(first_year=YEAR - 1, last_year=YEAR + 2)
    client.force_login(chef)
    response = client.post(
        reverse("plans:adopt", args=[plan.pk]),
        {
            "adopted_on": f"{YEAR}-01-15",
            "adopted_by_body": "Kommunfullmäktige",
            "decision_reference": "KF § 12",
            "document": SimpleUploadedFile("antagen.pdf", PDF),
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ADOPTED and plan.adopted_on == date(YEAR, 1, 15)
    assert plan.adopted_document.content_type == "application/pdf"
    assert plan.is_in_force and plan.is_current


def test_editor_may_not_record_adoption(client, editor):
    plan = build_plan()
    client.force_login(editor)
    assert client.get(reverse("plans:adopt", args=[plan.pk])).status_code == 404


def test_adoption_in_the_future_is_refused(client, chef):
    plan = build_plan()
    client.force_login(chef)
    response = client.post(
        reverse("plans:adopt", args=[plan.pk]),
        {"adopted_on": f"{YEAR + 1}-01-15", "adopted_by_body": "Kommunfullmäktige"},
    )
    assert "Beslutsdatumet kan inte ligga i framtiden." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_adopted_plan_is_read_only(client, chef):
    plan = build_plan(status=Plan.Status.ADOPTED)
    section = plan.sections.first()
    client.force_login(chef)
    response = _section_post(client, plan, section, section.version, body="<p>Ändrad</p>")
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])
    section.refresh_from_db()
    assert section.body != "<p>Ändrad</p>"
    edit = client.get(reverse("plans:edit", args=[plan.pk]))
    assert edit.status_code == 302


@pytest.mark.parametrize(
    ("status", "told"),
    [
        (
            Plan.Status.ADOPTED,
            "En antagen plan kan inte ändras. Påbörja i stället ett nytt utkast utifrån den.",
        ),
        (Plan.Status.IN_REVIEW, "Planen granskas och kan inte ändras just nu."),
    ],
)
def test_writer_opening_a_read_only_plan_for_editing_is_told_why(client, chef, status, told):
    plan = build_plan(status=status)
    client.force_login(chef)
    response = client.get(reverse("plans:edit", args=[plan.pk]), follow=True)
    assert response.redirect_chain == [(reverse("plans:detail", args=[plan.pk]), 302)]
    assert told in response.content.decode()


def test_htmx_save_to_a_read_only_plan_is_sent_to_the_plan(client, chef):
    plan = build_plan(status=Plan.Status.IN_REVIEW)
    section = plan.sections.first()
    client.force_login(chef)
    response = _section_post(client, plan, section, section.version, **{"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("plans:detail", args=[plan.pk])
    page = client.get(response["HX-Redirect"]).content.decode()
    assert "Planen kan inte längre ändras: den är antagen eller under granskning. Ingenting sparades." in page
    section.refresh_from_db()
    assert section.body != "<p>Ny text</p>"


def test_plan_submitted_while_a_writer_saves_is_not_changed(client, chef, monkeypatch):
    """Someone submits the plan between the access check and the save: the writer is told,
    nothing is saved (the service's row lock sees the new status)."""
    plan = build_plan()
    section = plan.sections.first()
    save_section = services.save_section

    def submitted_meanwhile(*args, **kwargs):
        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.IN_REVIEW)
        return save_section(*args, **kwargs)

    monkeypatch.setattr(services, "save_section", submitted_meanwhile)
    client.force_login(chef)
    response = _section_post(client, plan, section, section.version, body="<p>Ändrad</p>")
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])
    section.refresh_from_db()
    assert section.body != "<p>Ändrad</p>"


@pytest.mark.parametrize(
    ("first", "last", "validity", "current"),
    [
        (YEAR - 1, YEAR + 1, "in_force", True),
        (YEAR - 4, YEAR - 2, "current_expired", True),
        (YEAR - 6, YEAR - 3, "expired", False),
        (YEAR + 1, YEAR + 3, "upcoming", False),
    ],
)
def test_validity_follows_kbs_rule(first, last, validity, current):
    plan = PlanFactory(status=Plan.Status.ADOPTED, first_year=first, last_year=last)
    assert plan.validity() == validity
    assert plan.is_current is current
    assert (plan in Plan.objects.current()) is current


# --- lists, search, public ----------------------------------------------------------------


def test_public_sees_only_adopted_plans(client):
    adopted = build_plan(status=Plan.Status.ADOPTED, title="Antagen plan")
    draft = build_plan(title="Hemligt utkast")
    html = client.get(reverse("plans:list")).content.decode()
    assert "Antagen plan" in html and "Hemligt utkast" not in html
    assert client.get(reverse("plans:detail", args=[adopted.pk])).status_code == 200
    assert client.get(reverse("plans:detail", args=[draft.pk])).status_code == 404


def test_consultant_sees_region_drafts_but_not_other_regions(client, consultant):
    build_plan(title="Kalmars utkast")
    from tests.factories import organisation

    build_plan(title="Karlstads utkast", organisation=organisation("1780"))
    client.force_login(consultant)
    html = client.get(reverse("plans:list")).content.decode()
    assert "Kalmars utkast" in html and "Karlstads utkast" not in html


def test_filters_by_region_status_year_and_focus(client, kb):
    from tests.factories import organisation

    build_plan(title="Kalmar 2026", status=Plan.Status.ADOPTED, first_year=2026, last_year=2029)
    build_plan(
        title="Karlstad 2020", organisation=organisation("1780"), first_year=2020, last_year=2023, areas=0
    )
    client.force_login(kb)
    region = organisation("08").pk
    html = client.get(reverse("plans:list"), {"region": region}).content.decode()
    assert "Kalmar 2026" in html and "Karlstad 2020" not in html
    html = client.get(reverse("plans:list"), {"year": 2021}).content.decode()
    assert "Karlstad 2020" in html and "Kalmar 2026" not in html
    html = client.get(
        reverse("plans:list"), {"focus": focus_area("lasframjande-och-spraklig-mangfald").pk}
    ).content.decode()
    assert "Kalmar 2026" in html and "Karlstad 2020" not in html
    html = client.get(reverse("plans:list"), {"status": "adopted"}).content.decode()
    assert "Kalmar 2026" in html and "Karlstad 2020" not in html


def test_htmx_filter_returns_only_the_results(client, kb):
    build_plan(title="Kalmar 2026")
    client.force_login(kb)
    response = client.get(reverse("plans:list"), {"q": ""}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="plan-results"') and "<html" not in html


def test_bad_filter_values_do_not_break_the_list(client, kb):
    client.force_login(kb)
    for params in (
        {"year": "1700"},
        {"region": "abc"},
        {"sort": "password"},
        {"sida": "999"},
        {"q": "x" * 500},
    ):
        assert client.get(reverse("plans:list"), params).status_code == 200


def test_search_finds_inflected_words_with_highlighted_snippets(client, kb):
    plan = build_plan(title="Plan med bibliotek", status=Plan.Status.ADOPTED)
    Section.objects.filter(plan=plan).update(
        body="<p>Bibliotek för alla invånare, även <script>x</script></p>"
    )
    history.record_version(plan, None, "test")
    build_plan(title="Annan plan", sections=0, areas=0)
    Plan.objects.filter(title="Annan plan").update(search_text="Inget om saken")
    client.force_login(kb)
    query = "bibliotekens" if connection.vendor == "postgresql" else "bibliotek"
    html = client.get(reverse("plans:list"), {"q": query}).content.decode()
    assert "Plan med bibliotek" in html and "Annan plan" not in html
    assert "<mark>" in html.lower()
    assert "<script>x" not in html


def test_plan_pages_queries_do_not_grow_with_plan_size(client, chef, count_queries):
    small = build_plan(sections=1, areas=1, goals=1, activities=1, indicators=1)
    large = build_plan(sections=10, areas=8, goals=5, activities=3, indicators=2)
    client.force_login(chef)
    for name in ("plans:detail", "plans:edit"):
        counts = [count_queries(client, reverse(name, args=[plan.pk])) for plan in (small, large)]
        assert counts[0] == counts[1], name


def test_plan_list_queries_do_not_grow(client, kb, count_queries):
    client.force_login(kb)
    build_plan(sections=0, areas=0)
    few = count_queries(client, reverse("plans:list"))
    for _ in range(12):
        build_plan(sections=0, areas=0)
    many = count_queries(client, reverse("plans:list"))
    assert few == many


def test_pdf_has_cover_contents_and_tables(client):
    import io

    from pypdf import PdfReader

    plan = build_plan(status=Plan.Status.ADOPTED, title="Biblioteksplan för Kalmar kommun")
    response = client.get(reverse("plans:pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert reader.metadata.title.startswith("Biblioteksplan för Kalmar kommun")
    assert "Innehåll" in text and "Fokusområden, mål och nyckeltal" in text and "Nyckeltal 0.0.0" in text
    assert len(reader.pages) >= 3


# --- review findings ----------------------------------------------------------------------


def test_saving_a_removed_section_shows_the_text_instead_of_losing_it(client, chef, editor):
    plan = build_plan(sections=2)
    section = plan.sections.first()
    client.force_login(chef)
    client.post(reverse("plans:item_delete", args=[plan.pk, "avsnitt", section.pk]))
    client.force_login(editor)
    response = _section_post(
        client,
        plan,
        section,
        section.version,
        heading="Inledning",
        body="<p>Min viktiga text</p>",
        **{"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert response["HX-Retarget"] == f"#section-{section.pk}"
    assert (
        "Min viktiga text" in response.content.decode()
        and "Lägg till som nytt avsnitt" in response.content.decode()
    )


@pytest.mark.parametrize("value", ["²", "9" * 5000, "-1", "abc", ""])
def test_odd_ids_in_query_strings_are_404_not_500(client, chef, value):
    plan = build_plan(areas=1, goals=1)
    client.force_login(chef)
    assert client.get(reverse("plans:item_add", args=[plan.pk, "mal"]), {"under": value}).status_code == 404
    assert client.get(reverse("plans:create"), {"fran": value}).status_code == 200


def test_draft_attachments_stay_internal_after_adoption(client, chef):
    plan = build_plan()
    internal = services.add_attachment(
        plan, chef, title="Remissvar", uploaded=SimpleUploadedFile("r.pdf", PDF)
    )
    client.force_login(chef)
    client.post(
        reverse("plans:adopt", args=[plan.pk]),
        {
            "adopted_on": f"{YEAR}-01-15",
            "adopted_by_body": "Kommunfullmäktige",
            "document": SimpleUploadedFile("antagen.pdf", PDF),
        },
    )
    plan.refresh_from_db()
    client.logout()
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Remissvar" not in page and "Antagen plan (Kommunfullmäktige" in page
    assert client.get(reverse("plans:attachment_download", args=[plan.pk, internal.pk])).status_code == 404
    assert (
        client.get(reverse("plans:attachment_download", args=[plan.pk, plan.adopted_document_id])).status_code
        == 200
    )


def test_restore_with_a_removed_national_focus_area_is_refused_clearly(client, chef):
    plan = build_plan(areas=1, goals=1)
    version = plan.versions.get()
    snapshot = version.snapshot
    snapshot["focus_areas"][0]["national_id"] = 999_999
    version.snapshot = snapshot
    version.save()
    client.force_login(chef)
    response = client.post(reverse("plans:restore", args=[plan.pk, version.number]), follow=True)
    assert "inte längre finns i den nationella katalogen" in response.content.decode()
    assert plan.versions.count() == 1


def test_history_summaries_are_stored_in_swedish_for_english_users(client, chef):
    plan = build_plan(sections=1)
    section = plan.sections.get()
    client.force_login(chef)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    _section_post(client, plan, section, section.version, heading="Avsnitt 0")
    assert plan.versions.first().summary == "Redigerade avsnittet ”Avsnitt 0”"


def test_large_primary_keys_are_not_grouped_in_ids_and_attributes(client, chef):
    """A database past 999 rows must not print "section-1 512": htmx targets and anchors break."""
    plan = build_plan(sections=0, areas=0)
    Section.objects.create(pk=123456, plan=plan, position=0, heading="Inledning", body="<p>Text</p>")
    client.force_login(chef)
    html = client.get(reverse("plans:edit", args=[plan.pk])).text
    assert 'id="section-123456"' in html
    assert "123\xa0456" not in html and "123 456" not in html


def test_a_failed_adoption_leaves_no_stored_document(chef, monkeypatch):
    from django.core.files.storage import default_storage

    plan = build_plan(first_year=YEAR - 1, last_year=YEAR + 2)

    def fail(*args, **kwargs):
        raise RuntimeError("the version could not be recorded")

    monkeypatch.setattr(services, "record_version", fail)
    stored = []
    original_save = default_storage.save
    monkeypatch.setattr(
        default_storage,
        "save",
        lambda name, *a, **k: stored.append(original_save(name, *a, **k)) or stored[-1],
    )
    with pytest.raises(RuntimeError):
        services.record_adoption(
            plan,
            chef,
            adopted_on=date(YEAR, 1, 15),
            adopted_by_body="Kommunfullmäktige",
            document=SimpleUploadedFile("antagen.pdf", PDF),
        )
    assert stored and not any(default_storage.exists(name) for name in stored)
    plan.refresh_from_db()
    assert plan.status != Plan.Status.ADOPTED
