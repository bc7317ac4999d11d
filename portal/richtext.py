"""Sanitising rich text from editors (nh3): only simple formatting and safe links survive, nested
at most MAX_DEPTH elements deep."""

from html.parser import HTMLParser

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

# How deep elements may nest in a text. Real text needs about seven levels (a table cell with a
# paragraph, a link and emphasis; lists three deep); a text nested hundreds of levels deep makes
# WeasyPrint's layout recurse until it fails (or work for minutes). Deeper elements are dropped
# and their text is kept.
MAX_DEPTH = 10


def sanitize(html: str) -> str:
    """Return `html` with scripts, event handlers, styles and unsafe links removed, and elements
    nested deeper than MAX_DEPTH flattened (their text kept)."""
    clean = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return limit_depth(clean).strip()


def to_text(html: str) -> str:
    """Plain text of sanitised html (for search and diffs)."""
    return nh3.clean(html or "", tags=set()).replace("&nbsp;", " ").strip()


def limit_depth(html: str, max_depth: int = MAX_DEPTH) -> str:
    """Drop the elements of sanitised `html` nested deeper than `max_depth`, keeping their text.

    Also for texts stored before the limit existed (the plan PDF applies it when it renders).
    Cheap when nothing is too deep: the text is returned as it is.
    """
    if not html or html.count("<") <= max_depth:
        return html
    flattener = _Flattener(max_depth)
    flattener.feed(html)
    flattener.close()
    return "".join(flattener.out)


# Containers whose content needs levels below them: a table its section, row and cell, a list its
# items. Such a container is kept only if its content fits, so no cell is left without its table.
_LEVELS_NEEDED = {"table": 4, "ul": 2, "ol": 2}
# The parts of a container, by the containers they belong in: dropped with their container.
_PART_OF = {
    "thead": {"table"},
    "tbody": {"table"},
    "tr": {"table", "thead", "tbody"},
    "td": {"tr"},
    "th": {"tr"},
    "li": {"ul", "ol"},
}
_BLOCKS = {"p", "h2", "h3", "h4", "li", "blockquote", "table", "tr", "td", "th", "ul", "ol"}
_VOID = {"br"}


class _Flattener(HTMLParser):
    """Copies nh3's output (well-formed, every element closed) token by token, leaving out the
    tags of elements too deep. Text, entities and kept tags are copied exactly as they are."""

    def __init__(self, max_depth: int):
        super().__init__(convert_charrefs=False)
        self.max_depth = max_depth
        self.out: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (tag, kept) of the elements open now
        self.depth = 0  # how many of them are kept

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            self.out.append(self.get_starttag_text())
            return
        parent = self.open[-1] if self.open else None
        if parent and tag in _PART_OF and parent[0] in _PART_OF[tag] and not parent[1]:
            kept = False
        else:
            kept = self.depth + _LEVELS_NEEDED.get(tag, 1) <= self.max_depth
        self.open.append((tag, kept))
        if kept:
            self.depth += 1
            self.out.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if not self.open or self.open[-1][0] != tag:  # not from nh3: leave the tag out
            return
        _, kept = self.open.pop()
        if kept:
            self.depth -= 1
            self.out.append(f"</{tag}>")
        elif tag in _BLOCKS and self.out and not self.out[-1].endswith(" "):
            self.out.append(" ")  # words of dropped paragraphs and cells stay apart

    def handle_data(self, data):
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def close(self):
        super().close()
        while self.open:  # never happens with nh3's output; keeps the result well-formed anyway
            tag, kept = self.open.pop()
            if kept:
                self.out.append(f"</{tag}>")
