from django.core.cache import cache
from django.utils import timezone
from django.utils.text import slugify

from plans import queries
from plans.models import Plan
from portal.pdf import render_pdf


def render_plan(plan: Plan) -> bytes:
    """The plan as a typeset document: cover, contents, sections, focus-area tables."""
    return render_pdf("plans/pdf/plan.html", {"plan": plan, "printed_on": timezone.localdate()})


def cached_plan_pdf(plan: Plan) -> bytes:
    """The plan's PDF, rendered once per state of the plan (keyed by its last change)."""

    key = f"plan-pdf:{plan.pk}:{plan.updated_at.timestamp()}:{plan.status}"
    document = cache.get(key)
    if document is None:
        document = render_plan(queries.plan_tree(plan.pk))
        cache.set(key, document, 60 * 60 * 24)
    return document


def filename(plan: Plan) -> str:
    return f"{slugify(plan.organisation.name)}-{slugify(plan.title)}-{plan.first_year}-{plan.last_year}.pdf"
