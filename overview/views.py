"""The dashboard: each person's organisations, plans, reviews and follow-ups, and for KB and the
operator the national overview. It reads every feature app, so it lives in the top layer."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from plans import followups
from plans import queries as plan_queries
from plans.models import Plan
from portal import queries
from portal.imports.registry import importers_for
from portal.models import Membership, Notification, Role
from portal.rules import can, consultant_region_ids, grants, invitable_roles


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    my = grants(user)
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organisation", "organisation__parent")
        .order_by("organisation__kind", "organisation__name")
    )
    municipal = [m for m in memberships if m.organisation.is_municipality]
    region_ids = consultant_region_ids(user)
    regions = [m.organisation for m in memberships if m.organisation.pk in region_ids]

    own_org_ids = [m.organisation_id for m in municipal] + [r.pk for r in regions]
    plans_by_org = queries.grouped_by(
        Plan.objects.filter(organisation_id__in=own_org_ids).order_by("-last_year", "title"),
        "organisation_id",
    )

    # A fixed number of queries however many organisations the person belongs to.
    orgs = [m.organisation for m in municipal]
    people = queries.people_by_organisation([o.pk for o in orgs])
    consultants = queries.people_by_organisation({o.parent_id for o in orgs}, role=Role.CONSULTANT)
    pending = queries.pending_invitations_by_organisation(
        [m.organisation_id for m in municipal if m.role == Role.CHEF]
    )
    municipal_sections = [
        {
            "membership": m,
            "organisation": m.organisation,
            "people": people[m.organisation_id],
            "consultants": consultants[m.organisation.parent_id],
            "can_invite": bool(invitable_roles(user, m.organisation)),
            "plans": plans_by_org[m.organisation_id],
            "pending": pending[m.organisation_id],
        }
        for m in municipal
    ]
    region_pks = [r.pk for r in regions]
    municipalities = queries.municipalities_by_region(region_pks)
    pending_counts = queries.pending_invitation_counts(region_pks)
    region_sections = [
        {
            "organisation": region,
            "municipalities": municipalities[region.pk],
            "plans": plans_by_org[region.pk],
            "pending_count": pending_counts[region.pk],
        }
        for region in regions
    ]
    national = None
    if can(user, "portal.view_national_overview"):
        rows = list(queries.regions_overview())
        national = {
            "regions": rows,
            "municipality_total": sum(r.municipality_count for r in rows),
            "with_chef_total": sum(r.municipalities_with_chef for r in rows),
            "consultant_total": sum(r.consultant_count for r in rows),
        }
    return render(
        request,
        "overview/dashboard.html",
        {
            "memberships": memberships,
            "municipal_sections": municipal_sections,
            "region_sections": region_sections,
            "national": national,
            "has_roles": bool(my) or user.is_superuser,
            "can_import": bool(importers_for(user)),
            **_review_panel(user),
        },
    )


def _review_panel(user) -> dict:
    """The dashboard's review and follow-up panel: notifications, follow-up reminders, the
    review queue and follow-ups to acknowledge (a fixed number of queries)."""
    context = {
        "recent_notifications": list(Notification.objects.filter(user=user, read_at__isnull=True)[:5])
        if user.unread_notification_count
        else [],
        "follow_up_reminders": followups.reminders(user),
        "queue": [],
        "to_acknowledge": [],
        "queue_enabled": can(user, "plans.use_review_queue"),
    }
    if context["queue_enabled"]:
        now = timezone.now()
        queue = list(plan_queries.review_queue(user)[:6])
        for review in queue:
            review.waiting_days = (now - review.submitted_at).days
        context["queue"] = queue
        context["to_acknowledge"] = list(followups.awaiting_acknowledgement(user)[:6])
    return context
