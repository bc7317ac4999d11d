import calendar as pycalendar
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from calendar_app import exports, ical, queries, services
from calendar_app.access import event_for
from calendar_app.forms import CancelEventForm, EventFilterForm, EventForm, RegistrationForm
from calendar_app.models import CalendarFeed, Event, Registration
from calendar_app.rules import (
    attendance_can_be_marked,
    networks_for,
    organisers_for,
    registration_is_cancellable,
)
from network.models import Network, NetworkMember
from portal.exports import dated_filename, export_response
from portal.formatting import STOCKHOLM
from portal.forms import database_id
from portal.htmx import render_htmx
from portal.models import Organisation
from portal.rules import can
from portal.validators import date_param

PAGE_SIZE = 20
DAY_LIMIT = 4  # events shown per day in the month view; the rest behind a link to the list


def _filters(request) -> tuple[EventFilterForm, dict]:
    form = EventFilterForm(request.GET or None)
    return form, form.cleaned_data if form.is_valid() else {}


def _listed_events(request):
    """The events the calendar list shows this person with the request's filters, all pages:
    upcoming ones (from a day with `fran`), or past ones with `visa=tidigare`."""
    form, filters = _filters(request)
    show_past = request.GET.get("visa") == "tidigare"
    qs = queries.filter_events(queries.visible_events(request.user), filters)
    from_date = date_param(request.GET.get("fran"))  # None if malformed or out of range
    if show_past:
        qs = queries.past(qs)
    elif from_date:
        qs = queries.upcoming(qs, datetime.combine(from_date, datetime.min.time(), tzinfo=STOCKHOLM))
    else:
        qs = queries.upcoming(qs)
    return form, qs, show_past, from_date


def _may_export_registrations(user) -> bool:
    """Organisers (who may create events) export the registrations of the events they manage."""
    return can(user, "calendar_app.add_event")


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    form, qs, show_past, from_date = _listed_events(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("sida"))
    today = timezone.localdate()
    context = {
        "form": form,
        "page_obj": page,
        "show_past": show_past,
        "from_date": from_date,
        "can_add": can(request.user, "calendar_app.add_event"),
        "can_export_registrations": _may_export_registrations(request.user),
        "month_url": reverse("calendar_app:month", args=[today.year, today.month]),
    }
    return render_htmx(request, "calendar_app/event_list.html", context, partial="results")


@require_safe
def event_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The calendar list as a table: the same events as the list, with its filters, all pages."""
    _form, qs, *_rest = _listed_events(request)
    rows = qs.prefetch_related("focus_areas").annotate(
        waitlisted=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED))
    )
    return export_response(exports.EventResource(), list(rows), file_format, dated_filename("kalendarium"))


@login_required
@require_safe
def registrations_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """Registrations of the listed events whose participants the organiser may see."""
    if not _may_export_registrations(request.user):
        raise Http404
    _form, qs, *_rest = _listed_events(request)
    managed = [e.pk for e in qs if can(request.user, "calendar_app.view_participants", e)]
    rows = (
        Registration.objects.filter(event_id__in=managed)
        .select_related("event", "organisation")
        .order_by("event__starts_at", "event_id", "status", "queued_at", "pk")
    )
    return export_response(exports.RegistrationResource(), rows, file_format, dated_filename("anmalningar"))


@require_safe
def event_month_current(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    url = reverse("calendar_app:month", args=[today.year, today.month])
    return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)


@require_safe
def event_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    form, filters = _filters(request)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start = datetime.combine(weeks[0][0], datetime.min.time(), tzinfo=STOCKHOLM)
    end = datetime.combine(weeks[-1][-1] + timedelta(days=1), datetime.min.time(), tzinfo=STOCKHOLM)
    events = list(
        queries.in_range(queries.filter_events(queries.visible_events(request.user), filters), start, end)
    )
    by_day: dict[date, list[Event]] = {}
    for event in events:
        first = max(timezone.localtime(event.starts_at, STOCKHOLM).date(), weeks[0][0])
        last = min(timezone.localtime(event.ends_at - timedelta(seconds=1), STOCKHOLM).date(), weeks[-1][-1])
        day = first
        while day <= last:
            by_day.setdefault(day, []).append(event)
            day += timedelta(days=1)
    today = timezone.localdate()
    grid = [
        [
            {
                "date": d,
                "in_month": d.month == month,
                "today": d == today,
                "events": by_day.get(d, [])[:DAY_LIMIT],
                "more": max(len(by_day.get(d, [])) - DAY_LIMIT, 0),
            }
            for d in week
        ]
        for week in weeks
    ]
    prev_month = date(year, month, 1) - timedelta(days=1)
    next_month = date(year, month, 28) + timedelta(days=7)
    in_month = [
        e
        for e in events
        if timezone.localtime(e.starts_at, STOCKHOLM).month == month
        or timezone.localtime(e.ends_at, STOCKHOLM).month == month
    ]
    context = {
        "form": form,
        "weeks": grid,
        "month_start": date(year, month, 1),
        "prev_url": reverse("calendar_app:month", args=[prev_month.year, prev_month.month]),
        "next_url": reverse("calendar_app:month", args=[next_month.year, next_month.month]),
        "this_url": reverse("calendar_app:month", args=[year, month]),
        "month_events": in_month,
        "can_add": can(request.user, "calendar_app.add_event"),
    }
    return render_htmx(request, "calendar_app/event_month.html", context, partial="results")


def _own_registration(request, event):
    if not request.user.is_authenticated:
        return None
    registration = Registration.objects.filter(event=event, email__iexact=request.user.email).first()
    if registration is not None:
        registration.event = event
    return registration


def _event_page(request, event, form=None, status=200):
    registration = _own_registration(request, event)
    if form is None:
        form = RegistrationForm(user=request.user)
    can_change = can(request.user, "calendar_app.change_event", event)
    return render(
        request,
        "calendar_app/event_detail.html",
        {
            "event": event,
            "form": form,
            "registration": registration,
            "position": registration.waitlist_position() if registration else None,
            "can_cancel_registration": registration is not None and registration_is_cancellable(registration),
            "state": event.registration_state(),
            "can_change": can_change,
            "can_register": can(request.user, "calendar_app.register", event),
            "waitlist_count": event.registrations.filter(status=Registration.Status.WAITLISTED).count()
            if can_change
            else None,
        },
        status=status,
    )


@require_safe
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_page(request, event_for(request.user, pk))


@require_POST
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request.user, pk, "calendar_app.register")
    form = RegistrationForm(request.POST, user=request.user)
    if not form.is_valid():
        return _event_page(request, event, form, status=422)
    user = request.user if request.user.is_authenticated else None
    data = form.cleaned_data
    try:
        result = services.register(
            event,
            name=data["name"],
            email=user.email if user else data["email"],
            user=user,
            organisation=data.get("organisation"),
            needs=data.get("needs", ""),
            consent=data["consent"],
        )
    except services.RegistrationError as error:
        form.add_error(None, str(error))
        return _event_page(request, event, form, status=422)
    if result.waitlist_position is None:
        messages.success(
            request,
            _("You are registered for %(title)s. A confirmation has been sent to %(email)s.")
            % {"title": event.title, "email": result.registration.email},
        )
    else:
        messages.warning(
            request,
            _(
                "The event is full. You are number %(position)s on the waiting list and will get an "
                "e-mail if a seat becomes free. We have sent a confirmation to %(email)s."
            )
            % {"position": result.waitlist_position, "email": result.registration.email},
        )
    return redirect(event)


def _registration_by_token(token: str) -> Registration:
    if not token or len(token) > 64:
        raise Http404
    return get_object_or_404(
        Registration.objects.select_related("event", "event__organiser").exclude(cancel_token_hash=""),
        cancel_token_hash=Registration.hash_token(token),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The personal cancel link from the confirmation e-mail (no login needed)."""
    registration = _registration_by_token(token)
    if request.method == "POST" and registration_is_cancellable(registration):
        services.cancel_registration(registration)
        registration.refresh_from_db()
        messages.success(request, _("Your registration is cancelled. Thank you for letting us know."))
        return redirect("calendar_app:registration_cancel", token=token)
    return render(
        request,
        "calendar_app/registration_cancel.html",
        {
            "registration": registration,
            "event": registration.event,
            "position": registration.waitlist_position(),
            "too_late": not registration.is_cancelled and not registration_is_cancellable(registration),
        },
    )


@require_safe
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request.user, pk)
    registration = _own_registration(request, event)
    include_links = bool(registration and registration.is_confirmed) or can(
        request.user, "calendar_app.change_event", event
    )
    content = ical.event_calendar(event, include_links=include_links)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="evenemang-{event.pk}.ics"'
    return response


# --- organisers --------------------------------------------------------------------------


def _event_form(request, instance=None, initial=None):
    return EventForm(
        request.POST if request.method == "POST" else None,
        instance=instance,
        initial=initial,
        organisers=organisers_for(request.user),
        networks=networks_for(request.user),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "calendar_app.add_event"):
        raise Http404
    initial = {}
    slug = request.GET.get("natverk", "")
    if slug_re.match(slug):  # not a NUL, which PostgreSQL refuses with an error (a 500)
        network = networks_for(request.user).filter(slug=slug).first()
        if network:
            initial = {"network": network, "kind": Event.Kind.NETWORK_MEETING, "title": network.name}
    form = _event_form(request, initial=initial)
    if form.is_valid():
        event = form.save(commit=False)
        if not can(request.user, "calendar_app.change_event", event):
            form.add_error("organiser", _("You may not organise events for this organisation."))
        else:
            services.save_event(event, focus_areas=form.cleaned_data["focus_areas"], user=request.user)
            messages.success(request, _("The event was saved as a draft. Publish it when it is ready."))
            return redirect(event)
    return render(request, "calendar_app/event_form.html", {"form": form}, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request.user, pk, "calendar_app.change_event")
    if event.is_cancelled:
        messages.error(request, _("A cancelled event cannot be changed. Copy it to plan a new one."))
        return redirect(event)
    form = _event_form(request, instance=event)
    if form.is_valid():
        changed = form.save(commit=False)
        if not can(request.user, "calendar_app.change_event", changed):
            form.add_error("organiser", _("You may not organise events for this organisation."))
        else:
            services.save_event(changed, focus_areas=form.cleaned_data["focus_areas"], user=request.user)
            messages.success(request, _("The event was saved."))
            return redirect(changed)
    return render(
        request,
        "calendar_app/event_form.html",
        {"form": form, "event": event},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request.user, pk, "calendar_app.change_event")
    if not event.is_draft:
        messages.error(request, _("Only a draft can be published."))
    else:
        services.publish_event(event)
        messages.success(request, _("The event is published in the calendar."))
    return redirect(event)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request.user, pk, "calendar_app.change_event")
    if event.is_cancelled:
        messages.error(request, _("The event is already cancelled."))
        return redirect(event)
    form = CancelEventForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        told = services.cancel_event(event, message=form.cleaned_data["message"])
        messages.success(
            request,
            _("The event is cancelled. %(count)s registered people are being told.") % {"count": told},
        )
        return redirect(event)
    count = event.registrations.active().count()
    return render(request, "calendar_app/event_cancel.html", {"event": event, "form": form, "count": count})


@login_required
@require_POST
def event_copy(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request.user, pk, "calendar_app.change_event")
    copy = services.copy_event(event, user=request.user)
    messages.success(request, _("A copy was made as a draft, one week later. Check the dates and details."))
    return redirect("calendar_app:event_edit", pk=copy.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request.user, pk, "calendar_app.view_participants")
    status = 200
    if request.method == "POST":
        ids = {database_id(v) for v in request.POST.getlist("attended")} - {None}
        try:
            count = services.mark_attendance(event, ids)
        except services.AttendanceError as error:
            messages.error(request, str(error))
            status = 422
        else:
            messages.success(request, _("Attendance saved: %(count)s attended.") % {"count": count})
            return redirect("calendar_app:participants", pk=event.pk)
    rows = list(queries.participants(event))
    confirmed = [r for r in rows if r.is_confirmed]
    return render(
        request,
        "calendar_app/participants.html",
        {
            "event": event,
            "confirmed": confirmed,
            "waitlisted": [r for r in rows if r.is_waitlisted],
            "cancelled": [r for r in rows if r.is_cancelled],
            "attended_count": sum(1 for r in confirmed if r.attended),
            "can_mark": attendance_can_be_marked(event),
        },
        status=status,
    )


@login_required
@require_safe
def participants_export(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    event = event_for(request.user, pk, "calendar_app.view_participants")
    return export_response(
        exports.ParticipantResource(), queries.participants(event), file_format, f"deltagare-{event.pk}"
    )


# --- participants ------------------------------------------------------------------------


@login_required
@require_safe
def my_registrations(request: HttpRequest) -> HttpResponse:
    rows = list(queries.registrations_of(request.user))
    now = timezone.now()
    for registration in rows:
        registration.can_cancel = registration_is_cancellable(registration, now)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "calendar_app/my_registrations.html",
        {
            "upcoming": [r for r in rows if r.event.ends_at >= now],
            "past": [r for r in rows if r.event.ends_at < now],
            "feed_url": request.build_absolute_uri(feed.get_absolute_url()) if feed else None,
        },
    )


@login_required
@require_POST
def my_registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk, user=request.user)
    if registration.is_cancelled:
        pass
    elif registration.event.is_cancelled:
        messages.info(request, _("The event is cancelled; you do not need to do anything."))
    elif not can(request.user, "calendar_app.cancel_registration", registration):
        messages.error(
            request, _("The event has already started; the registration can no longer be cancelled.")
        )
    else:
        services.cancel_registration(registration)
        messages.success(
            request, _("Your registration for %(title)s is cancelled.") % {"title": registration.event.title}
        )
    return redirect("calendar_app:my_registrations")


# --- feeds -------------------------------------------------------------------------------


def _feed_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


def _feed_window(qs):
    """Feeds carry the last 90 days and everything ahead."""
    return qs.filter(ends_at__gte=timezone.now() - timedelta(days=90)).order_by("starts_at")


@require_safe
def feed_region(request: HttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Organisation, code=code, kind=Organisation.Kind.REGION)
    events = _feed_window(queries.filter_events(queries.public_events(), {"region": region}))
    return _feed_response(
        ical.calendar_for(events, f"Kalendarium – {region.name}"), f"kalendarium-{region.code}"
    )


@require_safe
def feed_network(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug, visibility=Network.Visibility.PUBLIC)
    events = _feed_window(queries.public_events().filter(network=network))
    return _feed_response(ical.calendar_for(events, network.name), f"natverk-{network.slug}")


@require_safe
def feed_personal(request: HttpRequest, token: str) -> HttpResponse:
    """A person's registrations and their networks' meetings. The secret URL is the key."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    user = feed.user
    if not user.is_active:
        raise Http404
    registered = Registration.objects.filter(user=user).active().values("event_id")
    events = _feed_window(
        queries.visible_events(user)
        .filter(status__in=queries.SHOWN)
        .filter(
            Q(pk__in=registered)
            | Q(network__members__user=user, network__members__status=NetworkMember.Status.APPROVED)
        )
        .distinct()
    )
    name = _("My calendar – Biblioteksportalen")
    return _feed_response(ical.calendar_for(events, name, include_links=True), "min-kalender")


@login_required
@require_POST
def feed_renew(request: HttpRequest) -> HttpResponse:
    """Create the personal feed URL, or replace it (the old URL stops working)."""
    feed, created = CalendarFeed.objects.get_or_create(user=request.user, defaults={"token": ""})
    feed.renew()
    feed.save()
    messages.success(
        request,
        _("Your personal calendar address is ready.")
        if created and request.POST.get("action") != "renew"
        else _("You have a new calendar address. The old one no longer works."),
    )
    return redirect("calendar_app:my_registrations")


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    CalendarFeed.objects.filter(user=request.user).delete()
    messages.success(request, _("Your personal calendar address is turned off."))
    return redirect("calendar_app:my_registrations")
