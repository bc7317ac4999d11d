"""Every view × every persona, with the exact expected answer (pretix-style matrix; the legend
and the helpers are in tests/matrix.py). Add a row for every new view.
"""

import pytest
from django.urls import reverse

from portal.models import Invitation, Membership, Role
from tests.factories import InvitationFactory, MembershipFactory, UserFactory, organisation
from tests.matrix import (
    ALL_OK,
    IMPORT_URL_NAMES,
    LOGGED_IN_OK,
    PERSONAS,
    PLAN_URL_NAMES,
    PORTAL_URL_NAMES,
    REPORT_URL_NAMES,
    REVIEW_URL_NAMES,
    Effect,
    assert_answer,
    expect,
    happened,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_editor_invitation(db):
    return InvitationFactory(organisation=organisation("0880"), role=Role.EDITOR)


@pytest.fixture
def colleague_membership(db):
    return MembershipFactory(user=UserFactory(), organisation=organisation("0880"), role=Role.EDITOR)


# (name, method, url builder, expectations)
CASES = [
    ("home", "get", lambda f: reverse("home"), expect("redirect", anonymous=200)),
    ("accessibility", "get", lambda f: reverse("accessibility"), ALL_OK),
    ("health", "get", lambda f: reverse("health"), ALL_OK),
    ("login", "get", lambda f: reverse("login"), expect("redirect", anonymous=200)),
    ("password_reset", "get", lambda f: reverse("password_reset"), ALL_OK),
    ("password_change", "get", lambda f: reverse("password_change"), LOGGED_IN_OK),
    ("account", "get", lambda f: reverse("account"), LOGGED_IN_OK),
    ("dashboard", "get", lambda f: reverse("dashboard"), LOGGED_IN_OK),
    ("organisation_list", "get", lambda f: reverse("organisation_list"), LOGGED_IN_OK),
    ("region_detail", "get", lambda f: reverse("organisation_detail", args=["08"]), LOGGED_IN_OK),
    (
        "municipality_detail",
        "get",
        lambda f: reverse("organisation_detail", args=["0880"]),
        expect(404, anonymous="login", chef=200, editor=200, consultant=200, kb=200, admin=200),
    ),
    (
        "kb_detail",
        "get",
        lambda f: reverse("organisation_detail", args=["KB"]),
        expect(404, anonymous="login", kb=200, admin=200),
    ),
    (
        "invite_municipality",
        "get",
        lambda f: reverse("invite", args=["0880"]),
        expect(404, anonymous="login", chef=200, consultant=200, kb=200, admin=200),
    ),
    (
        "invite_region",
        "get",
        lambda f: reverse("invite", args=["08"]),
        expect(404, anonymous="login", consultant=200, kb=200, admin=200),
    ),
    (
        "invite_kb",
        "get",
        lambda f: reverse("invite", args=["KB"]),
        expect(404, anonymous="login", kb=200, admin=200),
    ),
    (
        "invitation_revoke",
        "post",
        lambda f: reverse("invitation_revoke", args=["0880", f("pending_editor_invitation").pk]),
        expect(
            404, anonymous="login", chef="redirect", consultant="redirect", kb="redirect", admin="redirect"
        ),
    ),
    (
        "invitation_resend",
        "post",
        lambda f: reverse("invitation_resend", args=["0880", f("pending_editor_invitation").pk]),
        expect(
            404, anonymous="login", chef="redirect", consultant="redirect", kb="redirect", admin="redirect"
        ),
    ),
    (
        "membership_remove",
        "post",
        lambda f: reverse("membership_remove", args=["0880", f("colleague_membership").pk]),
        expect(
            404, anonymous="login", chef="redirect", consultant="redirect", kb="redirect", admin="redirect"
        ),
    ),
    (
        "invitation_accept_wrong_person",
        "get",
        lambda f: reverse("invitation_accept", args=[f("pending_editor_invitation").token]),
        expect(403, anonymous=200),
    ),
    (
        "invitation_accept_bad_token",
        "get",
        lambda f: reverse("invitation_accept", args=["nonsense"]),
        expect(404),
    ),
    (
        "admin_index",
        "get",
        lambda f: reverse("admin:index"),
        expect("admin_login", admin=200),
    ),
]


def _sent_to(name):
    return lambda f, response, user: response.get("Location") == reverse(name)


EFFECTS = {
    "home": Effect(_sent_to("dashboard")),
    "login": Effect(_sent_to("dashboard")),
    "invitation_revoke": Effect(
        lambda f, r, user: Invitation.objects.get(pk=f("pending_editor_invitation").pk).revoked_at is not None
    ),
    "invitation_resend": Effect(  # a new link; the old one stops working
        lambda f, r, user: (
            Invitation.objects.pending().filter(email=f("pending_editor_invitation").email).count() == 1
            and not Invitation.objects.pending().filter(pk=f("pending_editor_invitation").pk).exists()
        )
    ),
    "membership_remove": Effect(
        lambda f, r, user: not Membership.objects.filter(pk=f("colleague_membership").pk).exists()
    ),
}


@pytest.mark.parametrize("persona_name", PERSONAS)
@pytest.mark.parametrize(("name", "method", "url", "expected"), CASES, ids=[c[0] for c in CASES])
def test_permission_matrix(client_for, persona, request, persona_name, name, method, url, expected):
    client = client_for(persona_name)
    f = request.getfixturevalue
    target = url(f)
    response, done = happened(
        EFFECTS, name, f, persona(persona_name), lambda: getattr(client, method)(target)
    )
    assert_answer(response, expected[persona_name], f"{name} as {persona_name}", done)


def test_matrix_covers_every_url_pattern():
    """A new view without a row in the matrix fails here."""
    from django.urls import get_resolver

    covered = {
        "home",
        "accessibility",
        "health",
        "login",
        "password_reset",
        "password_change",
        "account",
        "dashboard",
        "organisation_list",
        "organisation_detail",
        "invite",
        "invitation_revoke",
        "invitation_resend",
        "membership_remove",
        "invitation_accept",
        # Django's own flows, tested in test_auth.py:
        "logout",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "password_change_done",
        "set_language",
    }
    names = {p.name for p in get_resolver().url_patterns if getattr(p, "name", None)}
    for p in get_resolver().url_patterns:
        namespace = getattr(p, "namespace", None)
        if getattr(p, "namespace", None) in ("calendar_app", "network"):
            continue  # covered, view by view, in test_permissions_calendar.py
        for sub in getattr(p, "url_patterns", []):
            if getattr(sub, "name", None) and not str(p.pattern).startswith("admin"):
                names.add(f"{namespace}:{sub.name}" if namespace else sub.name)
    covered |= {f"plans:{name}" for name in PLAN_URL_NAMES}
    covered |= {f"reports:{name}" for name in REPORT_URL_NAMES}
    covered |= {f"plans:{name}" for name in REVIEW_URL_NAMES} | PORTAL_URL_NAMES
    covered |= {f"imports:{name}" for name in IMPORT_URL_NAMES}
    assert names - covered == set()
