"""Checks for uploaded documents: the type is recognised by content, never by file name."""

import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

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
    """Validate an uploaded document (PDF, Word or OpenDocument text, at most 20 MB).

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
    return kind
