"""Sanitising rich text from editors (nh3): only simple formatting and safe links survive."""

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set(), "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize(html: str) -> str:
    """Return `html` with scripts, event handlers, styles and unsafe links removed."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def to_text(html: str) -> str:
    """Plain text of sanitised html (for search and diffs)."""
    return nh3.clean(html or "", tags=set()).replace("&nbsp;", " ").strip()
