"""Checks for uploaded documents: the type is recognised by content, never by file name. A PDF
must not run scripts or start programs when it is opened (a public network's documents can be
downloaded by anyone), and a Word or OpenDocument file must not unpack to an absurd size."""

import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

# A Word or OpenDocument text is a zip archive. One that unpacks to more than this, has more
# parts, or a large part packed harder than this, is damaged or made to overload what opens it
# (a "zip bomb"); real documents stay far below (a 300-page report: ~100 parts, ratio ~10).
MAX_ARCHIVE_ENTRIES = 2_000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_PACKING_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 1024 * 1024  # small parts may pack hard without harm

# PDF actions that run a script or start a program (ISO 32000 12.6.4). Others — go to a page,
# open a web address — are harmless.
SCRIPT_ACTIONS = {"/JavaScript", "/Launch"}

PDF = "pdf"
DOCX = "docx"
ODT = "odt"
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ODT: "application/vnd.oasis.opendocument.text",
}


def sniff_document(uploaded) -> str | None:
    """Return 'pdf', 'docx' or 'odt' from the file's bytes, or None if it is none of them."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                # Read at most a few bytes: a crafted archive could expand to gigabytes.
                if info.file_size <= 100:
                    with archive.open(info) as entry:
                        if entry.read(100).strip() == CONTENT_TYPES[ODT].encode():
                            return ODT
            if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    finally:
        uploaded.seek(0)
    return None


def validate_document(uploaded, max_bytes: int = MAX_DOCUMENT_BYTES) -> str:
    """Validate an uploaded document (PDF, Word or OpenDocument text, at most 20 MB): no scripts
    or program launches in a PDF, no absurd unpacked size in a Word or OpenDocument file.

    Returns the detected kind. Raises ValidationError with a Swedish message otherwise.
    """
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the largest allowed is %(max)s.")
            % {"size": filesizeformat(uploaded.size), "max": filesizeformat(max_bytes)},
            code="too_large",
        )
    kind = sniff_document(uploaded)
    if kind is None:
        raise ValidationError(
            _(
                "The file is not a PDF, Word (.docx) or OpenDocument (.odt) document. "
                "The type is checked from the file's content, not its name."
            ),
            code="bad_type",
        )
    if kind == PDF:
        check_pdf(uploaded)
    else:
        check_archive(uploaded)
    return kind


def check_archive(uploaded) -> None:
    """Refuse a zip archive (Word, OpenDocument) with too many parts, too large unpacked or with a
    large part packed too hard. Reads the archive's directory only, never unpacks."""
    try:
        with zipfile.ZipFile(uploaded) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as error:  # sniffed, so rare
        message = _("The document could not be read; it may be damaged.")
        raise ValidationError(message, code="damaged") from error
    finally:
        uploaded.seek(0)
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        raise ValidationError(
            _(
                "The document has %(count)s parts; at most %(max)s are allowed. "
                "It may be damaged or made to overload the portal."
            )
            % {"count": len(entries), "max": MAX_ARCHIVE_ENTRIES},
            code="too_many_parts",
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("The document takes %(size)s unpacked; the most allowed is %(max)s.")
            % {"size": filesizeformat(unpacked), "max": filesizeformat(MAX_UNPACKED_BYTES)},
            code="too_large_unpacked",
        )
    if any(
        entry.file_size > RATIO_CHECKED_FROM_BYTES
        and entry.file_size > MAX_PACKING_RATIO * entry.compress_size
        for entry in entries
    ):
        raise ValidationError(
            _(
                "A part of the document grows more than %(ratio)s times when unpacked; the file "
                "may be damaged or made to overload the portal. Save the document again and "
                "upload the new file."
            )
            % {"ratio": MAX_PACKING_RATIO},
            code="packed_too_hard",
        )


def check_pdf(uploaded) -> None:
    """Refuse a PDF that pypdf cannot read, that is encrypted (its content cannot be checked), or
    that runs JavaScript or starts a program: document scripts (the names tree), the open
    action, document, page, annotation and form field triggers, links, bookmarks, XFA forms."""
    try:
        reader = PdfReader(uploaded)
        if reader.is_encrypted and not _opens_without_password(reader):
            raise ValidationError(
                _(
                    "The PDF is password-protected or encrypted, so its content cannot be "
                    "checked. Save it without protection and upload the new file."
                ),
                code="pdf_encrypted",
            )
        scripted = _runs_scripts(reader)
    except ValidationError:
        raise
    except Exception as error:  # any damage pypdf cannot get past: no half-checked file is kept
        raise ValidationError(
            _("The PDF could not be read; it may be damaged. Save it as PDF again and upload the new file."),
            code="pdf_damaged",
        ) from error
    finally:
        uploaded.seek(0)
    if scripted:
        raise ValidationError(
            _(
                "The PDF contains scripts (JavaScript or an XFA form) or an action that starts a "
                "program, which the portal does not accept. Save it again without them (for "
                "example with “Print to PDF”) and upload the new file."
            ),
            code="pdf_script",
        )


def _opens_without_password(reader: PdfReader) -> bool:
    """Whether an encrypted PDF opens without a password (restricted printing or copying only)."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # AES needs the optional `cryptography` package: treat as locked
        return False


def _runs_scripts(reader: PdfReader) -> bool:
    """Walk every place a PDF reader takes actions from; True at the first script or launch."""
    root = reader.root_object
    names = _resolved(root.get("/Names"))
    acroform = _resolved(root.get("/AcroForm"))
    if isinstance(names, DictionaryObject) and "/JavaScript" in names:
        return True
    if isinstance(acroform, DictionaryObject) and "/XFA" in acroform:
        return True
    todo: list[tuple[str, object]] = [
        ("action", root.get("/OpenAction")),  # an action, or a destination (an array)
        ("triggers", root.get("/AA")),
        ("outline", root.get("/Outlines")),  # the bookmarks' root: its /First is the first one
    ]
    if isinstance(acroform, DictionaryObject):
        todo += [("field", field) for field in _resolved(acroform.get("/Fields")) or []]
    for page in reader.pages:
        todo += [("triggers", page.get("/AA"))]
        todo += [("annotation", annotation) for annotation in _resolved(page.get("/Annots")) or []]
    seen: set[tuple[str, int, int]] = set()
    while todo:
        role, item = todo.pop()
        item = _resolved(item)
        if not isinstance(item, DictionaryObject):
            continue
        reference = getattr(item, "indirect_reference", None)  # once per role: chains can loop
        if reference is not None:
            key = (role, reference.idnum, reference.generation)
            if key in seen:
                continue
            seen.add(key)
        if role == "action":
            if item.get("/S") in SCRIPT_ACTIONS or "/JS" in item:
                return True
            chained = _resolved(item.get("/Next"))
            todo += [("action", a) for a in (chained if isinstance(chained, ArrayObject) else [chained])]
        elif role == "triggers":  # event name -> action
            todo += [("action", action) for action in item.values()]
        elif role in ("annotation", "field"):
            todo += [("action", item.get("/A")), ("triggers", item.get("/AA"))]
            todo += [("field", kid) for kid in _resolved(item.get("/Kids")) or []]
        elif role == "outline":
            todo += [("action", item.get("/A"))]
            todo += [("outline", item.get("/First")), ("outline", item.get("/Next"))]
    return False


def _resolved(value):
    return value.get_object() if isinstance(value, IndirectObject) else value
