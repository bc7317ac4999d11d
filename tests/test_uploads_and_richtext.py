import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from portal.richtext import sanitize, to_text
from portal.uploads import validate_document
from tests import pdfs
from tests.pdfs import PDF_BYTES


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_pdf_docx_and_odt_are_recognised_by_content():
    pdf = SimpleUploadedFile("plan.bin", PDF_BYTES, content_type="application/octet-stream")
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


# --- PDFs that run scripts or start programs (crafted with pypdf's writer) ----------------------


def _document_script(writer):
    writer.add_open_action(JavaScript("app.alert('hej');"))  # the names tree's JavaScript


def _open_action(writer):
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(pdfs.javascript())


def _chained_after_a_harmless_open_action(writer):
    go_to = DictionaryObject(
        {
            NameObject("/S"): NameObject("/GoTo"),
            NameObject("/D"): ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")]),
            NameObject("/Next"): ArrayObject([pdfs.web_link(), pdfs.launch()]),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = go_to


def _document_trigger(writer):
    writer._root_object[NameObject("/AA")] = DictionaryObject({NameObject("/WC"): pdfs.javascript()})


def _page_trigger(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): pdfs.javascript()})


def _form_field_trigger(writer):
    field = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("belopp"),
            NameObject("/AA"): DictionaryObject({NameObject("/K"): pdfs.javascript("event.rc = true;")}),
        }
    )
    parent = DictionaryObject(
        {
            NameObject("/T"): TextStringObject("form"),
            NameObject("/Kids"): ArrayObject([writer._add_object(field)]),
        }
    )
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([writer._add_object(parent)])}
    )


def _bookmark(writer):
    item = writer.add_outline_item(title="Kapitel 2", page_number=0)
    item.get_object()[NameObject("/A")] = pdfs.javascript()


def _xfa_form(writer):
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): TextStringObject("<xdp/>")}
    )


@pytest.mark.parametrize(
    "craft",
    [
        _document_script,
        _open_action,
        _chained_after_a_harmless_open_action,
        _document_trigger,
        _page_trigger,
        pdfs.annotate(pdfs.launch()),
        pdfs.annotate(pdfs.javascript()),
        _form_field_trigger,
        _bookmark,
        _xfa_form,
    ],
    ids=[
        "document_script",
        "open_action",
        "chained_action",
        "document_trigger",
        "page_trigger",
        "launch_link",
        "javascript_link",
        "form_field",
        "bookmark",
        "xfa",
    ],
)
def test_a_pdf_that_runs_a_script_or_starts_a_program_is_refused(craft):
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile("protokoll.pdf", pdfs.pdf_bytes(craft)))
    assert error.value.code == "pdf_script"
    assert "PDF-filen innehåller skript (JavaScript eller ett XFA-formulär)" in error.value.messages[0]


def _looping_bookmarks(writer):
    first = writer.add_outline_item(title="Kapitel 1", page_number=0)
    second = writer.add_outline_item(title="Kapitel 2", page_number=0)
    second.get_object()[NameObject("/Next")] = first  # a loop must not hang the check


@pytest.mark.parametrize(
    "craft",
    [None, pdfs.annotate(pdfs.web_link()), _looping_bookmarks],
    ids=["plain", "web_link", "bookmarks"],
)
def test_a_pdf_with_links_and_bookmarks_is_accepted(craft):
    assert validate_document(SimpleUploadedFile("plan.pdf", pdfs.pdf_bytes(craft))) == "pdf"


def test_a_pdf_that_cannot_be_read_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"))
    assert error.value.code == "pdf_damaged"
    assert error.value.messages == [
        "PDF-filen gick inte att läsa; den kan vara skadad. "
        "Spara den som PDF igen och ladda upp den nya filen."
    ]


def test_a_password_protected_pdf_is_refused_and_a_merely_restricted_one_accepted():
    locked = pdfs.pdf_bytes(lambda writer: writer.encrypt("hemligt", algorithm="RC4-128"))
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile("plan.pdf", locked))
    assert error.value.code == "pdf_encrypted" and "lösenordsskyddad" in error.value.messages[0]
    restricted = pdfs.pdf_bytes(lambda writer: writer.encrypt("", "ägaren", algorithm="RC4-128"))
    assert validate_document(SimpleUploadedFile("plan.pdf", restricted)) == "pdf"


# --- Word and OpenDocument files that unpack to absurd sizes (zip bombs) ----------------------


def _docx_with(entries: dict[str, bytes], **extra_parts: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        parts = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>", **entries}
        for name, data in parts.items():
            archive.writestr(name, data)
        for n in range(extra_parts.get("parts", 0)):
            archive.writestr(f"word/media/bild{n}.txt", b"")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (_docx_with({}, parts=2_000), "too_many_parts", "Dokumentet har 2002 delar; högst 2000 tillåts."),
        (
            _docx_with({"word/a.xml": b"\0" * (60 * 1024 * 1024), "word/b.xml": b"\0" * (60 * 1024 * 1024)}),
            "too_large_unpacked",
            "Dokumentet blir 120,0\xa0MB uppackat; högst 100,0\xa0MB tillåts.",
        ),
        (
            _docx_with({"word/document2.xml": b"<w:p/>" * 1_000_000}),
            "packed_too_hard",
            "En del av dokumentet blir mer än 100 gånger större uppackad",
        ),
    ],
    ids=["entries", "unpacked_size", "ratio"],
)
def test_a_word_document_that_unpacks_to_an_absurd_size_is_refused(content, code, message):
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile("plan.docx", content))
    assert error.value.code == code and message in error.value.messages[0]


def test_an_opendocument_text_packed_too_hard_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype", b"application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", b" " * (20 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile("plan.odt", buffer.getvalue()))
    assert error.value.code == "packed_too_hard"


def test_a_long_real_word_document_is_accepted():
    paragraphs = "".join(
        f"<w:p><w:r><w:t>Mål {n}: {n % 290} kommuner, {n * 7 % 1000} böcker.</w:t></w:r></w:p>"
        for n in range(50_000)
    )
    content = _docx_with({"word/document.xml": paragraphs.encode()}, parts=300)
    assert len(paragraphs) > 3 * 1024 * 1024
    assert validate_document(SimpleUploadedFile("plan.docx", content)) == "docx"
