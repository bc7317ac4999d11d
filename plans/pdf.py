import logging

from django.core.cache import cache
from django.utils import timezone
from django.utils.text import slugify

from plans import queries
from plans.models import Plan
from portal.pdf import DocumentTooLarge, render_pdf
from portal.richtext import limit_depth

log = logging.getLogger(__name__)

CACHE_SECONDS = 60 * 60 * 24


class PlanPdfUnavailable(Exception):
    """The plan's PDF cannot be produced in its present state: `too_large` when it is heavier
    than a PDF may be (portal.pdf.MAX_WEIGHT), else because typesetting it failed."""

    def __init__(self, too_large: bool):
        super().__init__("too large" if too_large else "failed")
        self.too_large = too_large


def render_plan(plan: Plan) -> bytes:
    """The plan as a typeset document: cover, contents, sections, focus-area tables.

    Section texts stored before the sanitiser limited their nesting are flattened here, so no
    stored text can make WeasyPrint recurse until it fails. Raises DocumentTooLarge.
    """
    for section in plan.sections.all():
        section.body = limit_depth(section.body)
    return render_pdf("plans/pdf/plan.html", {"plan": plan, "printed_on": timezone.localdate()})


def cached_plan_pdf(plan: Plan) -> bytes:
    """The plan's PDF, rendered once per state of the plan (keyed by its last change).

    A failure is remembered for that state too, so that asking again does not typeset the plan
    again: raises PlanPdfUnavailable, every time, until the plan changes.
    """
    key = f"plan-pdf:{plan.pk}:{plan.updated_at.timestamp()}:{plan.status}"
    document = cache.get(key)
    if document is None:
        tree = queries.plan_tree(plan.pk)
        try:
            document = render_plan(tree)
        except DocumentTooLarge as error:
            log.warning("plan %s: PDF refused, %s", plan.pk, error)
            document = "too-large"
        except Exception:  # WeasyPrint failing on some content must not fail the page again
            log.exception("plan %s: PDF failed", plan.pk)
            document = "failed"
        cache.set(key, document, CACHE_SECONDS)
    if isinstance(document, str):
        raise PlanPdfUnavailable(too_large=document == "too-large")
    return document


def filename(plan: Plan) -> str:
    return f"{slugify(plan.organisation.name)}-{slugify(plan.title)}-{plan.first_year}-{plan.last_year}.pdf"
