"""Uploaded documents, one implementation for every app that stores them (plan attachments,
network documents): the upload form, where the file is stored and how it is downloaded.

A document model has `title`, `file` (a FileField with `upload_to=document_path`) and `kind`
('pdf', 'docx' or 'odt', sniffed from the content at upload by `portal.uploads`). Who may
upload or download is the app's own question (its access helpers and rules); these functions
are called once that is settled.
"""

import re
import uuid
from typing import Protocol

from django import forms
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.forms import OneLineField, PortalForm
from portal.uploads import CONTENT_TYPES, validate_document

FALLBACK_CONTENT_TYPE = "application/octet-stream"
FALLBACK_EXTENSION = "bin"
MAX_NAME_CHARACTERS = 120

# Control characters break a header; the rest are not allowed in file names on some systems.
_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


class StoredDocument(Protocol):
    title: str
    file: FieldFile

    @property
    def kind(self) -> str | None: ...


class DocumentUploadForm(PortalForm):
    """A title and a file. The file is checked by its content (PDF, Word or OpenDocument text,
    at most 20 MB); after validation `kind` holds what it is."""

    title = OneLineField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word (.docx) or OpenDocument (.odt), at most 20 MB.")
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.kind = validate_document(uploaded)
        return uploaded


def kind_of(content_type: str) -> str | None:
    """The kind ('pdf', 'docx', 'odt') whose content type this is, or None."""
    return next((kind for kind, known in CONTENT_TYPES.items() if known == content_type), None)


def _extension(kind: str | None) -> str:
    return kind if kind in CONTENT_TYPES else FALLBACK_EXTENSION


def document_path(instance, filename: str) -> str:
    """The storage name of an uploaded document: `<app>/<year>/<random>.<kind>`.

    The uploader's file name is not used (neither its words nor its extension): the extension
    is the kind sniffed from the content, and a random name cannot be guessed."""
    folder = f"{instance._meta.app_label}/{timezone.now():%Y}"
    return f"{folder}/{uuid.uuid4().hex}.{_extension(instance.kind)}"


def download_name(title: str, kind: str | None) -> str:
    """'<title>.<kind>', without characters that would break the header or a file system."""
    stem = " ".join(_UNSAFE_IN_NAME.sub(" ", title).split())[:MAX_NAME_CHARACTERS].strip(" .")
    return f"{stem or gettext('document')}.{_extension(kind)}"


def download_response(document: StoredDocument) -> FileResponse:
    """The document as a download named after its title, with the content type of the kind
    sniffed at upload; `nosniff` keeps browsers from guessing another type."""
    response = FileResponse(
        document.file.open("rb"),
        content_type=CONTENT_TYPES.get(document.kind, FALLBACK_CONTENT_TYPE),
        as_attachment=True,
        filename=download_name(document.title, document.kind),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
