from django.utils import timezone
from django.utils.text import slugify

from plans.models import Plan
from portal.pdf import render_pdf


def render_plan(plan: Plan) -> bytes:
    """The plan as a typeset document: cover, contents, sections, focus-area tables."""
    return render_pdf("plans/pdf/plan.html", {"plan": plan, "printed_on": timezone.localdate()})


def filename(plan: Plan) -> str:
    return f"{slugify(plan.organisation.name)}-{slugify(plan.title)}-{plan.first_year}-{plan.last_year}.pdf"
