"""Calendar and networks: every view × every persona, with the exact expected answer (legend in
tests/matrix.py). Fixtures: a public network and a
members-only network hosted by Region Kalmar län (08), where the editor is a member; a
public event, a members-only event and a draft, all organised by Region Kalmar län.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from calendar_app.models import CalendarFeed, Event
from network.models import Network, NetworkDocument, NetworkMember
from tests.factories import UserFactory
from tests.factories_calendar import (
    EventFactory,
    NetworkFactory,
    RegistrationFactory,
    add_document,
    add_member,
    with_token,
)
from tests.matrix import ALL_OK, LOGGED_IN_OK, PERSONAS, Effect, assert_answer, expect, happened

pytestmark = pytest.mark.django_db

MANAGERS_ONLY = expect(404, anonymous="login", consultant=200, admin=200)
MANAGERS_ACT = expect(404, anonymous="login", consultant="redirect", admin="redirect")
CREATORS = expect(404, anonymous="login", consultant=200, other_consultant=200, admin=200)


@pytest.fixture
def f(db, editor):
    coordinator = UserFactory()
    public = NetworkFactory(name="Barnbibliotekarier i Kalmar län", slug="barn-kalmar")
    closed = NetworkFactory(name="Ledningsgrupp", slug="ledning", visibility=Network.Visibility.MEMBERS)
    for network in (public, closed):
        add_member(network, coordinator, role="coordinator")
        add_member(network, editor)
    guest = RegistrationFactory(event=EventFactory(network=public))
    owner = UserFactory()
    own_registration = RegistrationFactory(event=guest.event, user=owner, email=owner.email)
    feed = CalendarFeed(user=owner)
    feed.renew()
    feed.save()
    return {
        "public": public,
        "closed": closed,
        "event": guest.event,
        "members_event": EventFactory(network=closed, visibility=Event.Visibility.MEMBERS),
        "draft": EventFactory(status=Event.Status.DRAFT),
        "token": with_token(guest),
        "other_registration": own_registration,
        "feed": feed,
        "public_doc": add_document(public),
        "closed_doc": add_document(closed),
        "member": closed.members.get(user=editor),
        "pending": add_member(closed, UserFactory(), status=NetworkMember.Status.PENDING),
    }


MEMBERS_EVENT = expect(404, editor=200, consultant=200, admin=200)

# (name, method, url builder, expectations)
CASES = [
    # calendar, public side
    ("calendar_app:list", "get", lambda f: reverse("calendar_app:list"), ALL_OK),
    ("calendar_app:month", "get", lambda f: reverse("calendar_app:month", args=[2026, 11]), ALL_OK),
    (
        "calendar_app:month_current",
        "get",
        lambda f: reverse("calendar_app:month_current"),
        expect("redirect"),
    ),
    (
        "calendar_app:event_detail",
        "get",
        lambda f: reverse("calendar_app:event_detail", args=[f["event"].pk]),
        ALL_OK,
    ),
    (
        "calendar_app:event_detail members-only",
        "get",
        lambda f: reverse("calendar_app:event_detail", args=[f["members_event"].pk]),
        MEMBERS_EVENT,
    ),
    (
        "calendar_app:event_detail draft",
        "get",
        lambda f: reverse("calendar_app:event_detail", args=[f["draft"].pk]),
        expect(404, consultant=200, admin=200),
    ),
    (
        "calendar_app:event_ics",
        "get",
        lambda f: reverse("calendar_app:event_ics", args=[f["event"].pk]),
        ALL_OK,
    ),
    (
        "calendar_app:event_ics members-only",
        "get",
        lambda f: reverse("calendar_app:event_ics", args=[f["members_event"].pk]),
        MEMBERS_EVENT,
    ),
    (
        "calendar_app:event_register",  # an empty form: 422 with the errors, to everyone who may register
        "post",
        lambda f: reverse("calendar_app:event_register", args=[f["event"].pk]),
        expect(422),
    ),
    (
        "calendar_app:event_register members-only",
        "post",
        lambda f: reverse("calendar_app:event_register", args=[f["members_event"].pk]),
        expect(404, editor=422, consultant=422, admin=422),
    ),
    (
        "calendar_app:event_register draft",
        "post",
        lambda f: reverse("calendar_app:event_register", args=[f["draft"].pk]),
        expect(404),  # nobody registers for a draft (the rules hold for superusers too)
    ),
    (
        "calendar_app:registration_cancel",
        "get",
        lambda f: reverse("calendar_app:registration_cancel", args=[f["token"]]),
        ALL_OK,
    ),
    (
        "calendar_app:registration_cancel forged",
        "get",
        lambda f: reverse("calendar_app:registration_cancel", args=["forged-" + f["token"][7:]]),
        expect(404),
    ),
    (
        "calendar_app:my_registrations",
        "get",
        lambda f: reverse("calendar_app:my_registrations"),
        LOGGED_IN_OK,
    ),
    (
        "calendar_app:my_registration_cancel someone else's",
        "post",
        lambda f: reverse("calendar_app:my_registration_cancel", args=[f["other_registration"].pk]),
        expect(404, anonymous="login"),
    ),
    ("calendar_app:feed_region", "get", lambda f: reverse("calendar_app:feed_region", args=["08"]), ALL_OK),
    (
        "calendar_app:feed_region municipality",
        "get",
        lambda f: reverse("calendar_app:feed_region", args=["0880"]),
        expect(404),
    ),
    (
        "calendar_app:feed_network",
        "get",
        lambda f: reverse("calendar_app:feed_network", args=["barn-kalmar"]),
        ALL_OK,
    ),
    (
        "calendar_app:feed_network members-only",
        "get",
        lambda f: reverse("calendar_app:feed_network", args=["ledning"]),
        expect(404),
    ),
    (
        "calendar_app:feed_personal",
        "get",
        lambda f: reverse("calendar_app:feed_personal", args=[f["feed"].token]),
        ALL_OK,
    ),
    (
        "calendar_app:feed_personal revoked",
        "get",
        lambda f: reverse("calendar_app:feed_personal", args=["not-a-real-token"]),
        expect(404),
    ),
    (
        "calendar_app:feed_renew",
        "post",
        lambda f: reverse("calendar_app:feed_renew"),
        expect("redirect", anonymous="login"),
    ),
    (
        "calendar_app:feed_revoke",
        "post",
        lambda f: reverse("calendar_app:feed_revoke"),
        expect("redirect", anonymous="login"),
    ),
    # calendar, organisers
    ("calendar_app:event_create", "get", lambda f: reverse("calendar_app:event_create"), CREATORS),
    (
        "calendar_app:event_edit",
        "get",
        lambda f: reverse("calendar_app:event_edit", args=[f["event"].pk]),
        MANAGERS_ONLY,
    ),
    (
        "calendar_app:event_edit draft",
        "get",
        lambda f: reverse("calendar_app:event_edit", args=[f["draft"].pk]),
        MANAGERS_ONLY,
    ),
    (
        "calendar_app:event_publish",
        "post",
        lambda f: reverse("calendar_app:event_publish", args=[f["draft"].pk]),
        MANAGERS_ACT,
    ),
    (
        "calendar_app:event_cancel",
        "get",
        lambda f: reverse("calendar_app:event_cancel", args=[f["event"].pk]),
        MANAGERS_ONLY,
    ),
    (
        "calendar_app:event_cancel post",
        "post",
        lambda f: reverse("calendar_app:event_cancel", args=[f["event"].pk]),
        MANAGERS_ACT,
    ),
    (
        "calendar_app:event_copy",
        "post",
        lambda f: reverse("calendar_app:event_copy", args=[f["event"].pk]),
        MANAGERS_ACT,
    ),
    (
        "calendar_app:participants",
        "get",
        lambda f: reverse("calendar_app:participants", args=[f["event"].pk]),
        MANAGERS_ONLY,
    ),
    (
        "calendar_app:participants_export csv",
        "get",
        lambda f: reverse("calendar_app:participants_export", args=[f["event"].pk, "csv"]),
        MANAGERS_ONLY,
    ),
    (
        "calendar_app:participants_export xlsx",
        "get",
        lambda f: reverse("calendar_app:participants_export", args=[f["event"].pk, "xlsx"]),
        MANAGERS_ONLY,
    ),
    (
        "calendar_app:participants_export pdf",
        "get",
        lambda f: reverse("calendar_app:participants", args=[f["event"].pk]).rstrip("/") + ".pdf",
        expect(404),
    ),
    # exports of the list: everyone gets the events they may see (tests/test_exports.py checks
    # the rows); registrations only for organisers, of the events they manage
    ("calendar_app:export csv", "get", lambda f: reverse("calendar_app:export", args=["csv"]), ALL_OK),
    ("calendar_app:export xlsx", "get", lambda f: reverse("calendar_app:export", args=["xlsx"]), ALL_OK),
    (
        "calendar_app:registrations_export csv",
        "get",
        lambda f: reverse("calendar_app:registrations_export", args=["csv"]),
        CREATORS,
    ),
    (
        "calendar_app:registrations_export xlsx",
        "get",
        lambda f: reverse("calendar_app:registrations_export", args=["xlsx"]),
        CREATORS,
    ),
    # networks
    ("network:list", "get", lambda f: reverse("network:list"), ALL_OK),
    ("network:mine", "get", lambda f: reverse("network:mine"), LOGGED_IN_OK),
    ("network:create", "get", lambda f: reverse("network:create"), CREATORS),
    ("network:detail", "get", lambda f: reverse("network:detail", args=["barn-kalmar"]), ALL_OK),
    (
        "network:detail members-only",
        "get",
        lambda f: reverse("network:detail", args=["ledning"]),
        expect(404, editor=200, consultant=200, admin=200),
    ),
    ("network:edit", "get", lambda f: reverse("network:edit", args=["barn-kalmar"]), MANAGERS_ONLY),
    (
        "network:join",
        "post",
        lambda f: reverse("network:join", args=["barn-kalmar"]),
        expect("redirect", anonymous="login", editor="refused"),  # the editor is a member already
    ),
    (
        "network:join members-only",
        "post",
        lambda f: reverse("network:join", args=["ledning"]),
        expect(404, anonymous="login", editor="refused", consultant="redirect", admin="redirect"),
    ),
    (
        "network:leave",
        "post",
        lambda f: reverse("network:leave", args=["barn-kalmar"]),
        expect("refused", anonymous="login", editor="redirect"),  # only a member can leave
    ),
    ("network:members", "get", lambda f: reverse("network:members", args=["barn-kalmar"]), MANAGERS_ONLY),
    (
        "network:member_change",
        "post",
        lambda f: reverse("network:member_change", args=["ledning", f["pending"].pk]),
        MANAGERS_ACT,
    ),
    (
        "network:document_upload",
        "get",
        lambda f: reverse("network:document_upload", args=["barn-kalmar"]),
        MANAGERS_ONLY,
    ),
    (
        "network:document_download",
        "get",
        lambda f: reverse("network:document_download", args=["barn-kalmar", f["public_doc"].pk]),
        ALL_OK,
    ),
    (
        "network:document_download members-only",
        "get",
        lambda f: reverse("network:document_download", args=["ledning", f["closed_doc"].pk]),
        expect(404, editor=200, consultant=200, admin=200),
    ),
    (
        "network:document_delete",
        "post",
        lambda f: reverse("network:document_delete", args=["barn-kalmar", f["public_doc"].pk]),
        MANAGERS_ACT,
    ),
]


def _joined(slug):
    """A membership the request made (the editor was a member of both networks before)."""
    return lambda f, r, user: (
        NetworkMember.objects.filter(network__slug=slug, user=user).exclude(user=f["member"].user).exists()
    )


def _status(f, name):
    return Event.objects.get(pk=f[name].pk).status


def _this_month(f, response, user):
    today = timezone.localdate()
    return response.get("Location") == reverse("calendar_app:month", args=[today.year, today.month])


EFFECTS = {
    "calendar_app:month_current": Effect(_this_month),
    "calendar_app:feed_renew": Effect(lambda f, r, user: CalendarFeed.objects.filter(user=user).exists()),
    "calendar_app:feed_revoke": Effect(  # the person's own address only
        lambda f, r, user: (
            user is not None
            and not CalendarFeed.objects.filter(user=user).exists()
            and CalendarFeed.objects.filter(pk=f["feed"].pk).exists()
        ),
        given=lambda f, user: CalendarFeed.objects.create(user=user, token=f"eget-{user.pk}"),
    ),
    "calendar_app:event_publish": Effect(lambda f, r, user: _status(f, "draft") == Event.Status.PUBLISHED),
    "calendar_app:event_cancel post": Effect(
        lambda f, r, user: _status(f, "event") == Event.Status.CANCELLED
    ),
    "calendar_app:event_copy": Effect(
        lambda f, r, user: Event.objects.filter(title=f["event"].title, status=Event.Status.DRAFT).exists()
    ),
    "network:join": Effect(_joined("barn-kalmar")),
    "network:join members-only": Effect(_joined("ledning")),
    "network:leave": Effect(
        lambda f, r, user: user == f["member"].user and not f["public"].members.filter(user=user).exists()
    ),
    "network:member_change": Effect(
        lambda f, r, user: (
            NetworkMember.objects.get(pk=f["pending"].pk).status == NetworkMember.Status.APPROVED
        )
    ),
    "network:document_delete": Effect(
        lambda f, r, user: not NetworkDocument.objects.filter(pk=f["public_doc"].pk).exists()
    ),
}


@pytest.mark.parametrize("persona_name", PERSONAS)
@pytest.mark.parametrize(("name", "method", "url", "expected"), CASES, ids=[c[0] for c in CASES])
def test_calendar_and_network_matrix(client_for, persona, f, persona_name, name, method, url, expected):
    client = client_for(persona_name)
    target = url(f)
    data = {"action": "approve"} if name == "network:member_change" else {}
    response, done = happened(
        EFFECTS, name, f, persona(persona_name), lambda: getattr(client, method)(target, data)
    )
    assert_answer(response, expected[persona_name], f"{name} as {persona_name}", done)


def test_matrix_covers_every_calendar_and_network_url():
    from django.urls import get_resolver

    covered = {c[0].split(" ")[0] for c in CASES}
    names = set()
    for pattern in get_resolver().url_patterns:
        namespace = getattr(pattern, "namespace", None)
        if namespace in ("calendar_app", "network"):
            names |= {f"{namespace}:{sub.name}" for sub in pattern.url_patterns}
    assert names, "the calendar and network URLs are not included"
    assert names - covered == set()
