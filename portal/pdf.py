"""PDF rendering with WeasyPrint: HTML templates + a small hand-written print stylesheet.

Only static files are fetched, from disk; every other URL (file://, http, data from elsewhere)
is refused, so a document cannot reach the network or the file system.

WeasyPrint cannot be interrupted once it lays a document out, so its time is bounded before it
starts: a document heavier than MAX_WEIGHT is refused with DocumentTooLarge (see `weight`).
"""

import re
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


# The weight of a document: its tags plus its text in units of 30 characters. WeasyPrint needs
# at most about 1 ms per unit on the project's 2-core machine, whatever the mix (measured with
# long paragraphs, thousands of small paragraphs, small and nested tables and inline formatting:
# 0.45–0.95 ms; bench/README.md). The benchmark's large plan weighs about 6,000 (32 pages), a plan
# with the fullest focus-area tree `plans.limits` allows and ten sections about 16,000 (50 pages).
# At the limit a document takes about 20 s, well inside the web server's timeout.
MAX_WEIGHT = 20_000
CHARACTERS_PER_UNIT = 30


class DocumentTooLarge(Exception):
    """The document is too heavy to typeset in bounded time (`weight` past MAX_WEIGHT)."""

    def __init__(self, weight: int):
        super().__init__(f"document weight {weight} > {MAX_WEIGHT}")
        self.weight = weight


def weight(html: str) -> int:
    """How much work the HTML is for WeasyPrint: its tags (start and end) and its text."""
    return html.count("<") + len(html) // CHARACTERS_PER_UNIT


# WeasyPrint's hyphenation of one long word takes time that grows much faster than its length
# (2,000 characters without a space: 9 s; 5,000: over two minutes), and the plans are hyphenated.
# No Swedish word is this long; a longer run (a URL, pasted garbage) gets a break opportunity,
# an invisible zero-width space, every BREAK_EVERY characters.
LONG_WORD = 60
BREAK_EVERY = 30
_TAG = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")
_RAW_TEXT = re.compile(r"<(/?)(style|script)\b", re.IGNORECASE)
_CHARACTER = r"&#?[a-zA-Z0-9]+;|[^\s<>&]"  # an entity such as &amp; is one character
_LONG_RUN = re.compile(f"(?:{_CHARACTER}){{{LONG_WORD},}}")


def break_long_words(html: str) -> str:
    """`html` with a zero-width space every BREAK_EVERY characters of every run of LONG_WORD or
    more characters without a space, in text only (not in tags, attributes, styles or scripts)."""
    parts = _TAG.split(html)
    raw = False
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            if match := _RAW_TEXT.match(part):
                raw = not match.group(1)
        elif not raw and len(part) >= LONG_WORD:
            parts[index] = _LONG_RUN.sub(_with_breaks, part)
    return "".join(parts)


def _with_breaks(match: re.Match) -> str:
    characters = re.findall(_CHARACTER, match.group(0))
    return "\u200b".join(
        "".join(characters[i : i + BREAK_EVERY]) for i in range(0, len(characters), BREAK_EVERY)
    )


def render_pdf(template: str, context: dict) -> bytes:
    """Render a Django template to a tagged PDF (PDF/UA-1: title, language, structure)."""
    return render_pdf_with_pages(template, context)[0]


def render_pdf_with_pages(template: str, context: dict) -> tuple[bytes, int]:
    """Like render_pdf, and also tell the number of pages."""
    from weasyprint import HTML

    with translation.override(settings.LANGUAGE_CODE):
        html = break_long_words(render_to_string(template, {"static_prefix": STATIC_PREFIX, **context}))
    if (heavy := weight(html)) > MAX_WEIGHT:
        raise DocumentTooLarge(heavy)
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
