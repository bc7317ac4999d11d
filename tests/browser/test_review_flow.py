"""The whole Kvalitetsdialog in a browser, with axe on every page: submit → review with criteria
and a comment → answer and resubmit → diff and close → adoption → follow-up → acknowledgement."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from plans.models import FollowUp, Plan
from portal.models import QualityCriterion, Role
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, member
from tests.factories_plans import build_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
THIS_YEAR = timezone.localdate().year


def _assess_all(page, rating="met"):
    for criterion in QualityCriterion.objects.filter(is_active=True):
        page.locator(f"input[name=rating_{criterion.pk}][value={rating}]").check()


def _log_out(page):
    page.get_by_role("button", name="Logga ut").click()


def test_review_and_follow_up_flow(checked):
    member(Role.CHEF, "0880", first_name="Anna", last_name="Lindqvist", email="anna@kalmar.example.se")
    member(Role.CONSULTANT, "08", first_name="Maria", last_name="Holm", email="maria@region08.example.se")
    plan = build_plan(
        title="Biblioteksplan för Kalmar kommun",
        areas=1,
        goals=1,
        activities=1,
        indicators=1,
        first_year=THIS_YEAR - 1,
        last_year=THIS_YEAR + 2,
    )
    section = plan.sections.first()

    # The chef submits the draft.
    page = log_in(checked, "anna@kalmar.example.se", PASSWORD)
    page = checked.goto(plan.get_absolute_url())
    page.get_by_role("button", name="Skicka för granskning").click()
    checked.check("submitted")
    assert page.get_by_text("Planen har skickats för granskning till Region Kalmar län").is_visible()
    assert page.get_by_role("button", name="Ta tillbaka från granskning").is_visible()
    _log_out(page)

    # The consultant finds it in the queue, assesses every criterion, comments and gives feedback.
    page = log_in(checked, "maria@region08.example.se", PASSWORD)
    assert page.get_by_role("link", name="Aviseringar 1 olästa").is_visible()
    page.get_by_role("link", name="Granskning", exact=True).click()
    checked.check("queue")
    page.get_by_role("link", name="Biblioteksplan för Kalmar kommun").click()
    checked.check("review")
    _assess_all(page, "partly")
    page.get_by_role("button", name="Spara bedömningarna").click()
    checked.check("assessed")
    assert page.get_by_text("Bedömningarna har sparats (12 kriterier bedömda).").is_visible()
    page.get_by_label(f"Ny kommentar till ”{section.heading}”").fill("Beskriv barnens behov tydligare.")
    page.locator(f"#avsnitt-{section.pk}").get_by_role("button", name="Lägg till kommentaren").click()
    checked.check("commented")
    page.get_by_label("Klar efter mindre ändringar").check()
    page.get_by_label("Sammanfattning av återkopplingen").fill("En bra plan. Utveckla avsnittet om barn.")
    page.get_by_role("button", name="Avsluta granskningen och skicka återkopplingen").click()
    checked.check("closed")
    assert page.get_by_text("Granskningen är avslutad").is_visible()
    assert any(
        m.to == ["anna@kalmar.example.se"] and "Klar efter mindre ändringar" in m.subject for m in mail.outbox
    )
    _log_out(page)

    # The chef reads the feedback beside the text, answers, revises and resubmits.
    page = log_in(checked, "anna@kalmar.example.se", PASSWORD)
    page.get_by_role("link", name=re.compile("Aviseringar")).click()
    checked.check("notifications")
    page.get_by_role("button", name=re.compile("har gett återkoppling")).click()
    checked.check("feedback")
    assert page.get_by_role("cell", name="Delvis uppfyllt").first.is_visible()
    page.get_by_label("Svar").fill("Vi har lagt till ett stycke om barnens behov.")
    page.get_by_role("button", name="Skicka svaret").click()
    checked.check("answered")
    page.get_by_role("button", name="Markera som löst").click()
    page.locator(f"#avsnitt-{section.pk}").get_by_text("Löst", exact=True).wait_for()
    checked.goto(f"/planer/{plan.pk}/avsnitt/{section.pk}/")
    editor = page.get_by_role("textbox", name="Text")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Barnens behov har analyserats tillsammans med skolorna.")
    page.get_by_role("button", name="Spara avsnittet").click()
    page.wait_for_load_state("networkidle")
    checked.check("section_saved")
    section.refresh_from_db()
    assert "Barnens behov har analyserats" in section.body, section.body
    page = checked.goto(plan.get_absolute_url())
    page.get_by_role("button", name="Skicka för granskning igen").click()
    checked.check("resubmitted")
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.IN_REVIEW
    _log_out(page)

    # The consultant sees what changed and which comments were answered, and closes the review.
    page = log_in(checked, "maria@region08.example.se", PASSWORD)
    page.get_by_role("link", name="Biblioteksplan för Kalmar kommun").first.click()
    checked.check("round2")
    assert page.get_by_role("heading", name="Vad som ändrats sedan återkopplingen i omgång 1").is_visible()
    assert page.get_by_role("cell", name="Besvarad").is_visible()
    page.get_by_text("Visa ändringarna rad för rad").click()
    assert page.locator("ins", has_text="Barnens behov har analyserats").is_visible()
    checked.check("diff")
    _assess_all(page, "met")
    page.get_by_role("button", name="Spara bedömningarna").click()
    page.get_by_label("Klar för antagande").check()
    page.get_by_label("Sammanfattning av återkopplingen").fill("Planen är klar för antagande.")
    page.get_by_role("button", name="Avsluta granskningen och skicka återkopplingen").click()
    checked.check("closed2")
    _log_out(page)

    # The chef records the adoption and files last year's follow-up from the dashboard reminder.
    page = log_in(checked, "anna@kalmar.example.se", PASSWORD)
    page = checked.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Registrera antagande").click()
    checked.check("adopt")
    page.get_by_label("Beslutsdatum").fill(f"{THIS_YEAR - 1}-12-10")
    page.get_by_label("Beslutande organ").fill("Kommunfullmäktige")
    page.get_by_role("button", name="Registrera antagandet").click()
    checked.check("adopted")
    page = checked.goto("/oversikt/")
    page.get_by_role(
        "link", name=f"Uppföljning {THIS_YEAR - 1} av ”Biblioteksplan för Kalmar kommun”"
    ).click()
    checked.check("follow_up_form")
    page.get_by_label("Status").select_option(label="Pågår")
    page.get_by_label(re.compile(r"Nyckeltal 0\.0\.0, värde för")).fill("tolv")
    page.get_by_role("button", name="Spara som utkast").click()
    checked.check("follow_up_error")
    assert page.get_by_role("alert").get_by_text("Ange ett tal, till exempel 12,5.").is_visible()
    page.get_by_label(re.compile(r"Nyckeltal 0\.0\.0, värde för")).fill("12,5")
    page.get_by_label("Berättelse").fill("Året präglades av läsfrämjande för barn.")
    page.get_by_role("button", name="Skicka in uppföljningen").click()
    checked.check("follow_up_submitted")
    assert page.get_by_text(f"Uppföljningen för {THIS_YEAR - 1} har skickats in.").is_visible()
    _log_out(page)

    # The consultant acknowledges it.
    page = log_in(checked, "maria@region08.example.se", PASSWORD)
    page.get_by_role("link", name=f"Kalmar: uppföljning {THIS_YEAR - 1}").click()
    checked.check("follow_up_review")
    assert page.get_by_role("cell", name="12,5").is_visible()
    page.get_by_role("button", name="Kvittera uppföljningen").click()
    checked.check("acknowledged")
    follow_up = FollowUp.objects.get(plan=plan)
    assert follow_up.status == FollowUp.Status.ACKNOWLEDGED
    page = checked.goto("/planer/region/08/")
    assert page.get_by_role("row", name=re.compile("Kalmar 0880")).get_by_text("Kvitterad").is_visible()
