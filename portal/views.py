from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import trigger_client_event

from portal import queries, services
from portal.access import organisation_for
from portal.forms import AcceptInvitationForm, InvitationForm
from portal.models import Invitation, Membership, Organisation, User
from portal.rules import can, invitable_roles


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "portal/home.html")


@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 when the app can reach its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


@login_required
@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    kb = Organisation.objects.filter(kind=Organisation.Kind.NATIONAL).first()
    return render(
        request,
        "portal/organisation_list.html",
        {
            "regions": queries.regions_overview(),
            "kb": kb if kb and can(request.user, "portal.view_organisation", kb) else None,
        },
    )


@login_required
@require_safe
def organisation_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = organisation_for(user, code)
    can_view_people = can(user, "portal.view_people", org)
    roles = invitable_roles(user, org)
    municipalities = []
    if org.is_region:
        municipalities = list(queries.municipalities_of(org))
        for row in municipalities:
            row.can_view = can(user, "portal.view_organisation", row)
            row.can_view_people = can(user, "portal.view_people", row)
    show_municipal_people = bool(municipalities) and all(row.can_view_people for row in municipalities)
    people = list(queries.people_of(org)) if can_view_people else []
    figure_years, figures = queries.key_figures(org)
    for membership in people:
        membership.can_remove = membership.role in roles and membership.user_id != user.pk
    return render(
        request,
        "portal/organisation_detail.html",
        {
            "organisation": org,
            "municipalities": municipalities,
            "people": people,
            "can_view_people": can_view_people,
            "show_municipal_people": show_municipal_people,
            "can_invite": bool(roles),
            "pending": list(queries.pending_invitations_of(org)) if roles else [],
            "figure_years": figure_years,
            "key_figures": figures,
            "can_import_figures": can(user, "portal.record_statistics", org),
        },
    )


@login_required
def invite(request: HttpRequest, code: str) -> HttpResponse:
    org = organisation_for(request.user, code, perm="portal.invite")
    roles = invitable_roles(request.user, org)
    form = InvitationForm(request.POST if request.method == "POST" else None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(inviter=request.user, organisation=org, **form.cleaned_data)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect(org)
    return render(
        request,
        "portal/invite.html",
        {"organisation": org, "form": form, "valid_days": settings.INVITATION_VALID_DAYS},
    )


def _invitation_in(org: Organisation, pk: int) -> Invitation:
    return get_object_or_404(Invitation.objects.select_related("organisation"), pk=pk, organisation=org)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    org = organisation_for(request.user, code, perm="portal.invite")
    invitation = _invitation_in(org, pk)
    try:
        services.revoke(by=request.user, invitation=invitation)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email})
    return redirect(org)


@login_required
@require_POST
def invitation_resend(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    org = organisation_for(request.user, code, perm="portal.invite")
    invitation = _invitation_in(org, pk)
    if not invitation.is_pending:
        messages.error(request, _("That invitation is no longer valid; send a new one."))
        return redirect(org)
    try:
        services.resend(inviter=request.user, invitation=invitation)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError:
        messages.error(request, _("This person already has a role in the organisation."))
        return redirect(org)
    messages.success(request, _("The invitation to %(email)s was sent again.") % {"email": invitation.email})
    return redirect(org)


@login_required
@require_POST
def membership_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    org = organisation_for(request.user, code, perm="portal.invite")
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"), pk=pk, organisation=org
    )
    try:
        services.remove_membership(by=request.user, membership=membership)
    except PermissionDenied:
        raise Http404 from None
    messages.success(
        request,
        _("%(name)s no longer has a role in %(organisation)s.")
        % {"name": membership.user, "organisation": org},
    )
    return redirect(org)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.find_pending(token)
    if invitation is None:
        return render(request, "portal/invitation_invalid.html", status=404)
    user = request.user
    context = {"invitation": invitation}

    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            context["wrong_account"] = True
            return render(request, "portal/invitation_accept.html", context, status=403)
        if request.method == "POST":
            try:
                services.accept(invitation=invitation, user=user)
            except services.InvitationUnavailable:
                return render(request, "portal/invitation_invalid.html", status=404)
            messages.success(
                request, _("Welcome to %(organisation)s!") % {"organisation": invitation.organisation}
            )
            return redirect("dashboard")
        return render(request, "portal/invitation_accept.html", context)

    if User.objects.filter(email__iexact=invitation.email).exists():
        context["needs_login"] = True
        return render(request, "portal/invitation_accept.html", context)

    form = AcceptInvitationForm(
        request.POST if request.method == "POST" else None,
        email=invitation.email,
        initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            new_user = services.accept(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationUnavailable:
            return render(request, "portal/invitation_invalid.html", status=404)
        login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, _("Welcome to %(organisation)s!") % {"organisation": invitation.organisation}
        )
        return redirect("dashboard")
    context["form"] = form
    return render(request, "portal/invitation_accept.html", context)


@login_required
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    return render(request, "portal/account.html", {"memberships": memberships})


# --- the CSRF failure page (settings.CSRF_FAILURE_VIEW) -------------------------------------

CSRF_FAILURE_EVENT = "portal:csrf-failure"  # static/js/portal.js shows the message beside the form
_NOT_TYPED = ("csrfmiddlewaretoken", "next")


def _from_this_site(request: HttpRequest) -> bool:
    """The browser says the form was sent from one of the portal's own pages (Origin header)."""
    origin = request.headers.get("Origin", "")
    return bool(origin) and (
        origin == f"{request.scheme}://{request.get_host()}" or origin in settings.CSRF_TRUSTED_ORIGINS
    )


def _typed_text(request: HttpRequest) -> list[str]:
    """The longer texts of a refused form, to be copied before the page is reloaded.

    Only for a form sent from the portal's own pages: shown for any other origin, the page
    would let another site put its words on the portal. Passwords are never shown.
    """
    if request.method != "POST" or not _from_this_site(request):
        return []
    texts = []
    for key, values in request.POST.lists():
        if key in _NOT_TYPED or "password" in key:
            continue
        texts += [v for v in values if len(v.strip()) >= 20 or len(v.split()) > 1]
    return texts[:30]


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose CSRF token no longer matches (an old page, logged out or in again in
    another tab, cookies blocked): say what to do and keep what the person typed.

    htmx gets no page (that would replace the form): the message travels in HX-Trigger and
    portal.js puts it beside the form, whose text stays as it was typed.
    """
    if getattr(request, "htmx", False):
        message = _(
            "This was not saved: the page is too old, or you were logged out in the meantime. "
            "What you typed is still here. Copy what you do not want to lose, reload the page "
            "(log in again if asked) and try again."
        )
        response = render(request, "403_csrf.html#htmx-message", {"message": message}, status=403)
        return trigger_client_event(response, CSRF_FAILURE_EVENT, {"message": message})
    referer = request.headers.get("Referer", "")
    back = (
        referer if url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()) else ""
    )
    context = {
        "typed": _typed_text(request),
        "no_cookie": reason == REASON_NO_CSRF_COOKIE,
        "back": back,
    }
    return render(request, "403_csrf.html", context, status=403)
