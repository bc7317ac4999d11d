"""PDF rendering with WeasyPrint: HTML templates + a small hand-written print stylesheet.

Only static files are fetched, from disk; every other URL (file://, http, data from elsewhere)
is refused, so a document cannot reach the network or the file system.
"""

import ssl
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

STATIC_PREFIX = "static:/"


def _static_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves `static:/…` URLs from the static files on disk and refuses everything else."""

        def fetch(self, url, headers=None):
            if not url.startswith(STATIC_PREFIX):
                raise ValueError(f"refused: {url[:60]}")
            relative = url[len(STATIC_PREFIX) :].lstrip("/")
            if ".." in Path(relative).parts:
                raise ValueError("refused: path traversal")
            found = finders.find(relative)
            if not found:
                raise ValueError(f"not found: {relative}")
            path = Path(found)
            mime = MIME_TYPES.get(path.suffix, "application/octet-stream")
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return StaticOnlyFetcher


MIME_TYPES = {
    ".css": "text/css",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


def render_pdf(template: str, context: dict) -> bytes:
    """Render a Django template to a tagged PDF (PDF/UA-1: title, language, structure)."""
    return render_pdf_with_pages(template, context)[0]


def render_pdf_with_pages(template: str, context: dict) -> tuple[bytes, int]:
    """Like render_pdf, and also tell the number of pages."""
    from weasyprint import HTML

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, {"static_prefix": STATIC_PREFIX, **context})
    # The fetcher never makes an HTTPS request: a bare TLS context spares loading the system's CA
    # certificates (~50 ms) that WeasyPrint's default context would read for every document.
    fetcher = _static_fetcher_class()(
        allowed_protocols={"static"}, ssl_context=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    )
    # Presentational hints: report tables give their column widths as <col width="…">, which needs
    # no inline style (kept out of every template, see test_no_inline_scripts_or_styles_in_templates).
    document = HTML(string=html, url_fetcher=fetcher).render(
        pdf_variant="pdf/ua-1", presentational_hints=True
    )
    return document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages)
