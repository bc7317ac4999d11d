"""Each rule and its queryset twin give the same answer for every persona: the plans a person
may read (`plans.view_plan` vs `Plan.objects.visible_to`), the events they may see
(`calendar_app.view_event` vs `visible_events`) and the networks (`network.view_network` vs
`visible_networks`). Lists use the querysets, detail pages the rules: if they disagreed, a list
would show what its page refuses, or hide what it shows."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser

from calendar_app import queries as event_queries
from calendar_app.models import Event
from network import queries as network_queries
from network.models import Network, NetworkMember
from plans.models import Plan
from portal.models import Role
from portal.rules import can
from tests.factories import MembershipFactory, UserFactory, member, organisation
from tests.factories_calendar import EventFactory, NetworkFactory, add_member
from tests.factories_plans import PlanFactory
from tests.matrix import PERSONAS

pytestmark = pytest.mark.django_db

EXTRA = ["network_member", "network_coordinator", "pending_member", "two_regions"]


@pytest.fixture
def world():
    """Networks of two regions (public and members-only), events of every status and
    visibility with and without a network, and plans of every status in four organisations."""
    networks = {
        (region, visibility): NetworkFactory(regions=[region], visibility=visibility)
        for region, visibility in itertools.product(("08", "17"), Network.Visibility.values)
    }
    for (region, visibility), network in networks.items():
        EventFactory(organiser=organisation(region), network=network, visibility=visibility)
    for organiser, status, visibility in itertools.product(
        ("08", "0880", "17", "1780"), Event.Status.values, Event.Visibility.values
    ):
        EventFactory(organiser=organisation(organiser), status=status, visibility=visibility)
    for code, status in itertools.product(("0880", "1780", "08", "17"), Plan.Status.values):
        kind = Plan.Kind.REGIONAL if len(code) == 2 else Plan.Kind.MUNICIPAL
        PlanFactory(organisation=organisation(code), status=status, kind=kind)
    return networks


@pytest.fixture
def person(persona, world):
    def get(name):
        if name == "anonymous":
            return AnonymousUser()
        if name in PERSONAS:
            return persona(name)
        user = UserFactory()
        if name == "network_member":
            MembershipFactory(user=user, organisation=organisation("1780"), role=Role.EDITOR)
            add_member(world["08", Network.Visibility.MEMBERS], user)
        elif name == "network_coordinator":
            add_member(world["17", Network.Visibility.MEMBERS], user, role=NetworkMember.Role.COORDINATOR)
        elif name == "pending_member":
            add_member(world["08", Network.Visibility.MEMBERS], user, status=NetworkMember.Status.PENDING)
        elif name == "two_regions":
            # A consultant of one region who is an editor in a municipality of another.
            user = member(Role.CONSULTANT, "17")
            MembershipFactory(user=user, organisation=organisation("0880"), role=Role.EDITOR)
        return user

    return get


@pytest.mark.parametrize("name", PERSONAS + EXTRA)
def test_plans_visible_to_agrees_with_the_view_rule(person, name):
    user = person(name)
    by_rule = {p.pk for p in Plan.objects.select_related("organisation") if can(user, "plans.view_plan", p)}
    assert set(Plan.objects.visible_to(user).values_list("pk", flat=True)) == by_rule


@pytest.mark.parametrize("name", PERSONAS + EXTRA)
def test_visible_events_agrees_with_the_view_rule(person, name):
    user = person(name)
    by_rule = {
        e.pk for e in Event.objects.select_related("organiser") if can(user, "calendar_app.view_event", e)
    }
    assert set(event_queries.visible_events(user).values_list("pk", flat=True)) == by_rule


@pytest.mark.parametrize("name", PERSONAS + EXTRA)
def test_visible_networks_agrees_with_the_view_rule(person, name):
    user = person(name)
    by_rule = {
        n.pk for n in Network.objects.prefetch_related("regions") if can(user, "network.view_network", n)
    }
    assert set(network_queries.visible_networks(user).values_list("pk", flat=True)) == by_rule


def test_the_world_has_something_to_disagree_about(person):
    """Guard against a vacuous pass: the personas really see different things."""
    seen = {
        name: set(event_queries.visible_events(person(name)).values_list("pk", flat=True))
        for name in ("anonymous", "consultant", "other_consultant", "network_member")
    }
    assert len({frozenset(s) for s in seen.values()}) == 4
    assert Plan.objects.visible_to(person("chef")).count() < Plan.objects.count()
