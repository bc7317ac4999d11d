"""A plan as PDF: cover, contents and the tables of goals and indicators."""

import pytest
from django.urls import reverse

from plans.models import Plan
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
