"""Rich text nests at most MAX_DEPTH elements deep: deeper formatting is flattened, its text kept
(issue 14, item 5: 500 nested <b> made the plan PDF fail; 60,000 took 69 s)."""

from html.parser import HTMLParser

import pytest

from portal.richtext import MAX_DEPTH, limit_depth, sanitize, to_text


def depth_of(html: str) -> int:
    """How deep the elements of `html` nest."""

    class Depth(HTMLParser):
        def __init__(self):
            super().__init__()
            self.depth = self.deepest = 0

        def handle_starttag(self, tag, attrs):
            if tag != "br":
                self.depth += 1
                self.deepest = max(self.deepest, self.depth)

        def handle_endtag(self, tag):
            if tag != "br":
                self.depth -= 1

    parser = Depth()
    parser.feed(html)
    return parser.deepest


@pytest.mark.parametrize(
    "dirty",
    [
        "<b>" * 500 + "x",
        "<b>" * 60_000 + "x",
        "<table><tr><td>" * 13_000 + "x",
        "<ul><li>" * 300 + "x",
        "<blockquote>" * 200 + "<p>x</p>",
        "<strong><em>" * 100 + '<a href="https://kb.se">x</a>',
    ],
)
def test_deep_nesting_is_flattened_and_the_text_kept(dirty):
    clean = sanitize(dirty)
    assert depth_of(clean) <= MAX_DEPTH
    assert to_text(clean) == "x"
    assert len(clean) < 300
    assert sanitize(clean) == clean


def test_the_cells_of_a_flattened_table_stay_apart_and_no_cell_loses_its_table():
    clean = sanitize("<blockquote>" * 8 + "<table><tr><td>Kalmar</td><td>Växjö</td></tr></table>")
    assert "<td>" not in clean and "<table>" not in clean
    assert "Kalmar Växjö" in clean
    nested = sanitize("<table><tr><td>" * 5 + "x")
    assert nested.count("<table>") == nested.count("<td>") == 2


def test_ordinary_formatting_is_left_as_it_is():
    body = (
        '<h2>Mål</h2><p>Biblioteken <strong>ska <em>nå <a href="https://kb.se">alla</a></em></strong>'
        " &amp; fler.</p>"
        "<ul><li><p>Läsfrämjande</p><ul><li>För barn<ul><li><strong>0–5 år</strong></li></ul></li></ul>"
        "</li></ul>"
        '<table><thead><tr><th scope="col">År</th></tr></thead>'
        "<tbody><tr><td><p><strong><em>2027</em></strong></p></td></tr></tbody></table>"
        "<blockquote><p>Citat<br>rad två</p></blockquote>"
    )
    clean = sanitize(body)
    assert limit_depth(clean) == clean
    assert "<ul><li>För barn<ul><li><strong>0–5 år</strong></li></ul></li></ul>" in clean
    assert "<td><p><strong><em>2027</em></strong></p></td>" in clean


def test_stored_text_nested_too_deep_is_flattened_when_limited_again():
    stored = "<p>" + "<b>" * 400 + "djup" + "</b>" * 400 + " text</p>"
    flat = limit_depth(stored)
    assert depth_of(flat) == MAX_DEPTH
    assert flat.startswith("<p><b>") and "djup" in flat and flat.endswith(" text</p>")
