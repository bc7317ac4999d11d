"""National catalogues (KB), notifications and the development staircase."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal import notifications, staircase
from portal.access import organisation_for
from portal.catalog_forms import (
    FocusAreaCatalogueForm,
    IndicatorDefinitionForm,
    QualityCriterionForm,
    StaircaseAreaForm,
    StaircaseForm,
)
from portal.models import FocusArea, IndicatorDefinition, Notification, QualityCriterion, StaircaseArea
from portal.rules import can
from portal.staircase import active_areas

# URL slug → (model, form, plural title, singular)
CATALOGUES = {
    "fokusomraden": (
        FocusArea,
        FocusAreaCatalogueForm,
        gettext_lazy("Focus areas"),
        gettext_lazy("focus area"),
    ),
    "kvalitetskriterier": (
        QualityCriterion,
        QualityCriterionForm,
        gettext_lazy("Quality criteria"),
        gettext_lazy("quality criterion"),
    ),
    "nyckeltal": (
        IndicatorDefinition,
        IndicatorDefinitionForm,
        gettext_lazy("Indicator definitions"),
        gettext_lazy("indicator definition"),
    ),
    "utvecklingstrappa": (
        StaircaseArea,
        StaircaseAreaForm,
        gettext_lazy("Development staircase"),
        gettext_lazy("maturity area"),
    ),
}


@login_required
@require_GET
def catalogues(request: HttpRequest) -> HttpResponse:
    """The national catalogues; everyone logged in reads them, KB maintains them."""

    return render(
        request,
        "portal/catalogues.html",
        {
            "focus_areas": FocusArea.objects.all(),
            "criteria": QualityCriterion.objects.all(),
            "indicators": IndicatorDefinition.objects.select_related("focus_area"),
            "areas": StaircaseArea.objects.prefetch_related("levels"),
            "active_areas": active_areas,
            "can_manage": can(request.user, "portal.manage_catalogues"),
        },
    )


@login_required
def catalogue_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    if kind not in CATALOGUES or not can(request.user, "portal.manage_catalogues"):
        raise Http404
    model, form_class, title, singular = CATALOGUES[kind]
    instance = get_object_or_404(model, pk=pk) if pk else None
    form = form_class(request.POST if request.method == "POST" else None, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = form.save()
            except IntegrityError:
                form.add_error("name", _("There is already an entry with this name."))
            else:
                messages.success(request, _("“%(name)s” has been saved.") % {"name": saved})
                return redirect("catalogues")
        status = 422
    return render(
        request,
        "portal/catalogue_edit.html",
        {"form": form, "instance": instance, "title": title, "singular": singular, "kind": kind},
        status=status,
    )


# --- notifications --------------------------------------------------------------------------


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Notification.objects.filter(user=request.user), 30).get_page(request.GET.get("sida"))
    return render(request, "portal/notifications.html", {"page": page, "notifications": page.object_list})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notifications.mark_read(request.user, [notification.pk])
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notifications")


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    count = notifications.mark_read(request.user)
    messages.success(request, _("%(n)s notifications marked as read.") % {"n": count})
    return redirect("notifications")


# --- development staircase ------------------------------------------------------------------


def _year(request) -> int:
    this_year = timezone.localdate().year
    value = request.GET.get("ar", "")
    if re.fullmatch(r"[0-9]{4}", value) and 2000 <= int(value) <= this_year:  # "²".isdigit(), but no int
        return int(value)
    return this_year


@login_required
def staircase_view(request: HttpRequest, code: str) -> HttpResponse:
    org = organisation_for(request.user, code, perm="portal.view_staircase")
    if org.is_national:
        raise Http404
    year = _year(request)
    areas = staircase.active_areas()
    recorded = staircase.levels_of(org, year)
    previous = staircase.levels_of(org, year - 1)
    can_record = can(request.user, "portal.record_staircase", org)
    initial = {}
    for area_id, a in recorded.items():
        initial[f"level_{area_id}"] = a.level
        initial[f"comment_{area_id}"] = a.comment
    form = StaircaseForm(request.POST if request.method == "POST" else None, areas=areas, initial=initial)
    status = 200
    if request.method == "POST":
        if not can_record:
            raise Http404
        if form.is_valid():
            count = staircase.record(org, request.user, year, form.entries())
            messages.success(
                request,
                _("The levels for %(year)s have been saved (%(n)s areas).") % {"year": year, "n": count},
            )
            return redirect(request.path + f"?ar={year}")
        status = 422
    rows = [(a, recorded.get(a.pk), previous.get(a.pk)) for a in areas]
    this_year = timezone.localdate().year
    return render(
        request,
        "portal/staircase.html",
        {
            "organisation": org,
            "year": year,
            "years": list(range(this_year, this_year - 6, -1)),
            "form": form,
            "rows": rows,
            "can_record": can_record,
            "can_compare": org.is_region and can(request.user, "plans.view_region_overview", org),
        },
        status=status,
    )


@login_required
@require_GET
def staircase_region(request: HttpRequest, code: str) -> HttpResponse:
    region = organisation_for(request.user, code)
    if not region.is_region or not can(request.user, "plans.view_region_overview", region):
        raise Http404
    year = _year(request)
    areas = staircase.active_areas()
    this_year = timezone.localdate().year
    return render(
        request,
        "portal/staircase_region.html",
        {
            "region": region,
            "year": year,
            "years": list(range(this_year, this_year - 6, -1)),
            "areas": areas,
            "rows": staircase.region_comparison(region, year, areas),
        },
    )
