"""Small real PDFs for upload tests, built with pypdf's writer: a clean one, and crafted ones
that run a script or start a program from each place a PDF reader takes actions from."""

from __future__ import annotations

import io
from collections.abc import Callable

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject


def pdf_bytes(craft: Callable[[PdfWriter], None] | None = None) -> bytes:
    """A one-page A4 PDF; `craft` may add to it before it is written."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if craft is not None:
        craft(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_BYTES = pdf_bytes()


def javascript(code: str = "app.alert('hej');") -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(code)}
    )


def launch(program: str = "C:\\Windows\\System32\\calc.exe") -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject(program)}
    )


def web_link(address: str = "https://www.kb.se/") -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject(address)}
    )


def link_annotation(action: DictionaryObject) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (50, 50, 200, 80)]),
            NameObject("/A"): action,
        }
    )


def annotate(action: DictionaryObject) -> Callable[[PdfWriter], None]:
    def craft(writer: PdfWriter) -> None:
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link_annotation(action))])

    return craft
