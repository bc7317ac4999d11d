"""Uploaded documents (portal.documents): plan attachments and network documents are stored,
named and served the same way."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from network.models import NetworkDocument
from plans.models import Attachment
from portal.documents import download_name
from tests import pdfs
from tests.factories import UserFactory
from tests.factories_calendar import PDF_BYTES, NetworkFactory, add_member
from tests.factories_plans import build_plan

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
    return buffer.getvalue()


DOCX_BYTES = _docx()


def _plan_upload(client, chef, uploaded, title):
    """Upload through the plan's edit page; returns (response, download URL or None)."""
    plan = build_plan()
    client.force_login(chef)
    response = client.post(
        reverse("plans:attachment_add", args=[plan.pk]), {"title": title, "file": uploaded}
    )
    attachment = Attachment.objects.first()
    url = attachment and reverse("plans:attachment_download", args=[plan.pk, attachment.pk])
    return response, url


def _network_upload(client, chef, uploaded, title):
    """Upload as the network's coordinator; returns (response, download URL or None)."""
    network = NetworkFactory()
    coordinator = UserFactory()
    add_member(network, coordinator, role="coordinator")
    client.force_login(coordinator)
    response = client.post(
        reverse("network:document_upload", args=[network.slug]), {"title": title, "file": uploaded}
    )
    document = NetworkDocument.objects.first()
    url = document and reverse("network:document_download", args=[network.slug, document.pk])
    return response, url


UPLOADS = pytest.mark.parametrize("upload", [_plan_upload, _network_upload], ids=["plan", "network"])


@UPLOADS
def test_download_has_the_sniffed_type_the_title_as_name_and_nosniff(client, chef, upload):
    # A Word document named .pdf: the type comes from the content, never from the name.
    response, url = upload(client, chef, SimpleUploadedFile("protokoll.pdf", DOCX_BYTES), "Protokoll 12 mars")
    assert response.status_code == 302
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == DOCX_TYPE
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == 'attachment; filename="Protokoll 12 mars.docx"'
    assert b"".join(download.streaming_content) == DOCX_BYTES


@UPLOADS
def test_stored_name_is_random_with_the_sniffed_extension(client, chef, upload):
    upload(client, chef, SimpleUploadedFile("../../hemligt namn.exe", PDF_BYTES), "Underlag")
    document = Attachment.objects.first() or NetworkDocument.objects.get()
    assert re.fullmatch(r"(plans|network)/20\d\d/[0-9a-f]{32}\.pdf", document.file.name)


@UPLOADS
def test_a_title_that_would_break_the_header_gives_a_safe_file_name(client, chef, upload):
    _response, url = upload(
        client, chef, SimpleUploadedFile("a.pdf", PDF_BYTES), 'Svar 3/4 "utkast"\r\nkväll'
    )
    download = client.get(url)
    assert download.status_code == 200
    assert (
        download["Content-Disposition"]
        == "attachment; filename*=utf-8''Svar%203%204%20utkast%20kv%C3%A4ll.pdf"
    )


@UPLOADS
def test_a_file_that_is_no_document_is_refused_and_not_stored(client, chef, upload):
    response, url = upload(
        client, chef, SimpleUploadedFile("plan.pdf", b"<html><script>x</script>", "application/pdf"), "Plan"
    )
    assert response.status_code == 422
    assert "Filen är inte ett PDF" in response.content.decode()
    assert url is None


def _zip_bomb_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"\0" * (200 * 1024 * 1024))
    return buffer.getvalue()


@UPLOADS
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (pdfs.pdf_bytes(pdfs.annotate(pdfs.launch())), "eller en åtgärd som startar ett program"),
        (_zip_bomb_docx(), "Dokumentet blir 200,0\xa0MB uppackat; högst 100,0\xa0MB tillåts."),
    ],
    ids=["pdf_launching_a_program", "zip_bomb_docx"],
)
def test_a_dangerous_document_is_refused_with_a_message_and_not_stored(
    client, chef, upload, content, message
):
    response, url = upload(client, chef, SimpleUploadedFile("protokoll.pdf", content), "Protokoll")
    assert response.status_code == 422
    assert message in response.content.decode()
    assert url is None


def test_download_name_keeps_words_and_letters_and_falls_back_to_document():
    assert (
        download_name("Biblioteksplan för Kalmar 2026–2029", "pdf")
        == "Biblioteksplan för Kalmar 2026–2029.pdf"
    )
    assert download_name("..\\..//", "odt") == "dokument.odt"
    assert download_name("x" * 300, None) == "x" * 120 + ".bin"
