"""A plan as PDF: cover, contents and the tables of goals and indicators; the PDF renderer reads
nothing but the static files."""

import pytest
from django.urls import reverse

from plans.models import Plan
from portal import pdf
from tests.factories_plans import build_plan

pytestmark = pytest.mark.django_db


def test_pdf_has_cover_contents_and_tables(client):
    import io

    from pypdf import PdfReader

    plan = build_plan(status=Plan.Status.ADOPTED, title="Biblioteksplan för Kalmar kommun")
    response = client.get(reverse("plans:pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert reader.metadata.title.startswith("Biblioteksplan för Kalmar kommun")
    assert "Innehåll" in text and "Fokusområden, mål och nyckeltal" in text and "Nyckeltal 0.0.0" in text
    assert len(reader.pages) >= 3


@pytest.fixture
def fetcher():
    return pdf._static_fetcher_class()(allowed_protocols={"static"})


def test_the_pdf_renderer_fetches_static_files(fetcher):
    response = fetcher.fetch("static:/css/print.css")
    assert response.content_type == "text/css" and b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "file:///css/print.css",  # a static file's path under another scheme
        "https://example.se/css/print.css",
        "data:text/css,body{}",
        "static-x:/css/print.css",
    ],
)
def test_the_pdf_renderer_refuses_every_other_scheme(fetcher, url):
    with pytest.raises(ValueError, match="^refused: "):
        fetcher.fetch(url)


@pytest.mark.parametrize("url", ["static:/css/../css/print.css", "static:/../config/settings.py"])
def test_the_pdf_renderer_refuses_paths_that_climb(fetcher, url):
    with pytest.raises(ValueError, match="path traversal"):
        fetcher.fetch(url)


def test_long_runs_without_a_space_get_break_opportunities_in_text_only():
    """WeasyPrint hyphenates a word in time that grows much faster than its length (a section of
    one 5,000-character "word" took over two minutes): runs of 60 or more characters get a
    zero-width space every 30 characters, never inside a tag, an attribute, an entity or a style."""
    from portal.pdf import break_long_words

    html = (
        f'<a href="https://kalmar.se/{"d" * 80}">{"e" * 61}</a> {"&amp;" * 61}'
        f"<style>.{'c' * 80} {{}}</style><p>kommunfullmäktigesammanträdesprotokollet</p>"
    )
    broken = break_long_words(html)
    assert broken.replace("\u200b", "") == html
    assert f'href="https://kalmar.se/{"d" * 80}"' in broken and f".{'c' * 80} " in broken
    assert f">{'e' * 30}\u200b{'e' * 30}\u200be</a>" in broken
    assert "&amp;" * 30 + "\u200b" + "&amp;" * 30 + "\u200b&amp;" in broken
    assert "<p>kommunfullmäktigesammanträdesprotokollet</p>" in broken  # a real word is left alone


def test_a_plan_with_a_very_long_word_still_gets_its_pdf(client):
    import io

    from pypdf import PdfReader

    plan = build_plan(status=Plan.Status.ADOPTED, sections=1, areas=0)
    plan.sections.update(body="<p>" + "x" * 3000 + "</p>")
    response = client.get(reverse("plans:pdf", args=[plan.pk]))
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert text.count("x") >= 3000
