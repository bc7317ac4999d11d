from django.http import Http404
from django.shortcuts import get_object_or_404

from plans.models import Plan
from portal.rules import can


def plan_for(user, pk: int, perm: str = "plans.view_plan") -> Plan:
    """The plan if `user` has `perm` on it, else 404 (never reveal that it exists)."""
    plan = get_object_or_404(Plan.objects.select_related("organisation", "organisation__parent"), pk=pk)
    if not can(user, perm, plan):
        raise Http404
    return plan
