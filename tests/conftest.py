"""Personas for role tests (healthchecks-style): people in Kalmar län, and outsiders in Värmland.

- chef, editor: Kalmar municipality (0880), region Kalmar län (08)
- consultant: Region Kalmar län (08)
- other_chef: Karlstad (1780) in Värmland; other_consultant: Region Värmland (17)
- kb: Kungliga biblioteket; admin: the portal's operator; no_role: an account without roles

Also the report tests' data set (`known_plans`) and `count_queries`.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Role
from tests import report_data
from tests.factories import UserFactory, member, organisation
from tests.matrix import PERSONAS


@pytest.fixture
def kalmar():
    return organisation("0880")


@pytest.fixture
def kalmar_region():
    return organisation("08")


@pytest.fixture
def chef(db):
    return member(Role.CHEF, "0880", first_name="Anna", last_name="Lindqvist", email="anna@kalmar.example.se")


@pytest.fixture
def editor(db):
    return member(
        Role.EDITOR, "0880", first_name="Erik", last_name="Sandberg", email="erik@kalmar.example.se"
    )


@pytest.fixture
def consultant(db):
    return member(
        Role.CONSULTANT, "08", first_name="Maria", last_name="Holm", email="maria@region08.example.se"
    )


@pytest.fixture
def other_chef(db):
    return member(
        Role.CHEF, "1780", first_name="Peter", last_name="Wallin", email="peter@karlstad.example.se"
    )


@pytest.fixture
def other_consultant(db):
    return member(
        Role.CONSULTANT, "17", first_name="Eva", last_name="Lundgren", email="eva@region17.example.se"
    )


@pytest.fixture
def kb(db):
    return member(Role.KB, "KB", first_name="Karin", last_name="Ekström", email="karin@kb.example.se")


@pytest.fixture
def admin(db):
    user = member(Role.ADMIN, "KB", first_name="Portal", last_name="Förvaltare", email="admin@example.se")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def no_role(db):
    return UserFactory(email="ingen@example.se")


@pytest.fixture
def persona(request):
    """Resolve a persona name to a user (None for anonymous)."""

    def get(name: str):
        assert name in PERSONAS, f"{name} is not a persona"
        return None if name == "anonymous" else request.getfixturevalue(name)

    return get


@pytest.fixture
def client_for(client, persona):
    def make(name: str):
        user = persona(name)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def known_plans(db):
    """The report tests' plans of 2026 (tests/report_data.py); Kalmar's plan."""
    return report_data.known_plans()


class QueryCounter:
    """Counts database queries: `count_queries(client, url, **headers)` GETs a page, checks that
    the answer is 200 and returns the number of queries (the response stays on `.response` for
    tests that look at the page too); `count_queries.of(function, *args)` counts any call."""

    response = None

    def __call__(self, client, url, **headers) -> int:
        count = self.of(self._get, client, url, headers)
        assert self.response.status_code == 200, (url, self.response.status_code)
        return count

    def of(self, function, *args, **kwargs) -> int:
        with CaptureQueriesContext(connection) as captured:
            function(*args, **kwargs)
        return len(captured.captured_queries)

    def _get(self, client, url, headers):
        self.response = client.get(url, headers=headers)


@pytest.fixture
def count_queries():
    """For "the count must not grow" tests; use django_assert_num_queries for a fixed number."""
    return QueryCounter()
