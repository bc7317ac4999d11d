import functools

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from plans.models import Plan
from plans.services import NotEditable
from portal.rules import can, can_create_plan_for


def plan_for(user, pk: int, perm: str = "plans.view_plan") -> Plan:
    """The plan if `user` has `perm` on it, else 404 (never reveal that it exists)."""
    plan = get_object_or_404(Plan.objects.select_related("organisation", "organisation__parent"), pk=pk)
    if not can(user, perm, plan):
        raise Http404
    return plan


def editable_plan_for(request: HttpRequest, pk: int) -> Plan:
    """The plan for a view that changes it (the view is decorated with @edits_plan).

    404 for everyone who does not write the plan. A writer of the plan gets NotEditable when it
    is adopted or in review; @edits_plan answers that with a message and the plan's page.
    """
    plan = plan_for(request.user, pk, "plans.view_plan_internals")
    if can(request.user, "plans.edit_plan", plan):
        return plan
    if can_create_plan_for(request.user, plan.organisation):
        raise NotEditable
    raise Http404


def edits_plan(view):
    """Decorates a view that changes the plan `pk`: if the plan cannot be changed (NotEditable
    from editable_plan_for, or from the service when someone adopted or submitted the plan a
    moment earlier), the writer is told so and sent to the plan's page instead."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotEditable:
            return read_only_response(request, plan_for(request.user, kwargs["pk"]))

    return wrapper


def read_only_response(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Why the plan cannot be changed (or, for a form sent, that nothing was saved), on the
    plan's page; htmx is sent there with HX-Redirect rather than swapping the page into a part."""
    if request.method == "POST":
        messages.error(
            request, _("The plan can no longer be changed: it is adopted or in review. Nothing was saved.")
        )
    elif plan.is_adopted:
        messages.info(request, _("An adopted plan cannot be changed. Start a new draft from it instead."))
    else:
        messages.info(request, _("The plan is in review and cannot be changed right now."))
    if request.htmx:
        return HttpResponseClientRedirect(plan.get_absolute_url(), status=204)
    return redirect(plan)
