"""Attachments (PDF checks, size limit), recording the adoption with its document, and what an
adopted plan is: KB's validity rule, internal drafts' attachments stay internal."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from plans import services
from plans.models import Attachment, Plan
from tests import pdfs
from tests.factories_plans import PlanFactory, adopted_plan, build_plan
from tests.pdfs import PDF_BYTES

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
# The decision dates posted to the adoption form: 1 January of this year is never in the future
# (the form refuses those), whichever day the tests run.
ADOPTED_ON = date(YEAR, 1, 1)
PDF = PDF_BYTES


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
            "adopted_on": ADOPTED_ON.isoformat(),
            "adopted_by_body": "Kommunfullmäktige",
            "decision_reference": "KF § 12",
            "document": SimpleUploadedFile("antagen.pdf", PDF),
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ADOPTED and plan.adopted_on == ADOPTED_ON
    assert plan.adopted_document.content_type == "application/pdf"
    assert plan.is_in_force and plan.is_current


def test_an_adopted_document_with_javascript_is_refused_and_the_plan_stays_unadopted(client, chef):
    plan = build_plan(first_year=YEAR - 1, last_year=YEAR + 2)
    client.force_login(chef)
    response = client.post(
        reverse("plans:adopt", args=[plan.pk]),
        {
            "adopted_on": ADOPTED_ON.isoformat(),
            "adopted_by_body": "Kommunfullmäktige",
            "decision_reference": "KF § 12",
            "document": SimpleUploadedFile("antagen.pdf", pdfs.pdf_bytes(pdfs.annotate(pdfs.javascript()))),
        },
    )
    page = response.content.decode()
    assert "PDF-filen innehåller skript (JavaScript eller ett XFA-formulär)" in page
    assert "KF § 12" in page  # what was typed is kept
    plan.refresh_from_db()
    assert plan.status != Plan.Status.ADOPTED and not plan.adopted_document


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


def _adopted_once(chef):
    plan = adopted_plan(first_year=YEAR - 1, last_year=YEAR + 2, adopted_on=ADOPTED_ON, by=chef)
    return plan, (plan.adopted_on, plan.adopted_by_body, plan.versions.count(), plan.status_changes.count())


def _as_adopted(plan):
    plan.refresh_from_db()
    return plan.adopted_on, plan.adopted_by_body, plan.versions.count(), plan.status_changes.count()


def test_the_service_does_not_adopt_a_plan_twice(chef):
    plan, before = _adopted_once(chef)
    with pytest.raises(services.NotEditable):
        services.record_adoption(
            plan,
            chef,
            adopted_on=date(YEAR, 1, 2),
            adopted_by_body="Kultur- och fritidsnämnden",
            document=SimpleUploadedFile("igen.pdf", PDF),
        )
    assert _as_adopted(plan) == before
    assert not Attachment.objects.filter(plan=plan).exists()


def test_posting_the_adoption_again_says_it_is_already_recorded(client, chef):
    plan, before = _adopted_once(chef)
    client.force_login(chef)
    form = client.get(reverse("plans:adopt", args=[plan.pk]))
    assert (form.status_code, form["Location"]) == (302, plan.get_absolute_url())
    response = client.post(
        reverse("plans:adopt", args=[plan.pk]),
        {"adopted_on": date(YEAR, 1, 2).isoformat(), "adopted_by_body": "Kultur- och fritidsnämnden"},
        follow=True,
    )
    assert response.redirect_chain == [(plan.get_absolute_url(), 302)]
    assert "Antagandet av den här planen är redan registrerat." in response.content.decode()
    assert _as_adopted(plan) == before


def test_draft_attachments_stay_internal_after_adoption(client, chef):
    plan = build_plan()
    internal = services.add_attachment(
        plan, chef, title="Remissvar", uploaded=SimpleUploadedFile("r.pdf", PDF)
    )
    client.force_login(chef)
    client.post(
        reverse("plans:adopt", args=[plan.pk]),
        {
            "adopted_on": ADOPTED_ON.isoformat(),
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
