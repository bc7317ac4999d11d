import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.richtext import sanitize, to_text
from portal.uploads import validate_document


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_pdf_docx_and_odt_are_recognised_by_content():
    pdf = SimpleUploadedFile("plan.bin", b"%PDF-1.7\n...", content_type="application/octet-stream")
    docx = SimpleUploadedFile("plan", _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}))
    odt = SimpleUploadedFile(
        "plan.txt", _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b""})
    )
    assert [validate_document(f) for f in (pdf, docx, odt)] == ["pdf", "docx", "odt"]


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00 executable",
        b"\x7fELF binary",
        b"PK\x03\x04 not really a zip",
        b"<html>",
        _zip({"a.txt": b"x"}),
    ],
)
def test_other_content_is_refused_whatever_the_name(content):
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile("antagen-plan.pdf", content, content_type="application/pdf"))
    assert error.value.code == "bad_type"


def test_too_large_and_empty_files_are_refused():
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 2000), max_bytes=1000)
    assert error.value.code == "too_large"
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile("a.pdf", b""))
    assert error.value.code == "empty"


def test_sanitize_removes_scripts_handlers_styles_and_javascript_links():
    dirty = (
        '<p style="color:red" onclick="x()">Hej <strong>bibliotek</strong></p>'
        '<script>alert(1)</script><a href="javascript:alert(1)">länk</a>'
        '<a href="https://kb.se" onmouseover="x()">KB</a><img src=x onerror=alert(1)>'
    )
    clean = sanitize(dirty)
    assert "script" not in clean and "onclick" not in clean and "style" not in clean
    assert "javascript:" not in clean and "onerror" not in clean and "<img" not in clean
    assert "<strong>bibliotek</strong>" in clean
    assert 'href="https://kb.se"' in clean


def test_to_text_strips_all_tags():
    assert to_text("<h2>Mål</h2><p>Läsa <em>mer</em></p>") == "MålLäsa mer"


def test_zip_bomb_mimetype_is_not_expanded():
    import zipfile as zf

    buffer = io.BytesIO()
    with zf.ZipFile(buffer, "w", compression=zf.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"a" * (50 * 1024 * 1024))
    with pytest.raises(ValidationError):
        validate_document(SimpleUploadedFile("plan.odt", buffer.getvalue()))
