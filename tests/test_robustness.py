"""Hostile input never gives a 500, and a refused post writes nothing (issue 14, "Beyond these
cases").

Every form of the portal is in FORMS below: the view, a persona who may use it, valid base data
and the kind of every field (the imports' forms are the columns of a CSV row). Field by field,
the test posts the base data with one field replaced by a hostile value of its kind (control
characters, NUL, a newline in a single-line field, year 1 and year 9999, 10**23, 100,000
characters, deeply nested HTML: the values that broke things in the issue) and asserts:

- the answer is not a 500;
- a refusal (a 4xx, a form shown again with errors, or an error message) changed no row of the
  portal's tables;
- after an accepted post (a confirmed import), the page it leads to and the pages that show what
  was stored (the object's page, a spreadsheet export, a feed) are not a 500 either.

QUERIES does the same for the forms in query strings (filters, years, page numbers), a few
Hypothesis examples add generated text to the fixed values, and
`test_exports_survive_hostile_values` stores each value directly in the database (no form
between) and fetches every export: CSV, XLSX, ICS, the plan PDF, the follow-up report and the
reports' spreadsheets.

The forms are the views of the URL x role matrices (tests/test_permissions_*.py) that take a
POST: `test_every_form_view_is_walked` fails for a new one that is neither in FORMS nor (a button
without fields of its own) in NO_FIELDS. KNOWN lists cases known to fail (none now).

The world (plans, reviews, follow-ups, events, networks, people) is built once for the module
inside a transaction that is rolled back at the end; each test runs in a savepoint of it.
"""

from __future__ import annotations

import csv
import inspect
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms import BaseForm
from django.template.context import Context
from django.test.utils import ContextList
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from calendar_app.models import CalendarFeed, Event, Registration
from network.models import Network, NetworkMember
from overview.reports.registry import report_for
from plans import followups
from plans.models import (
    Activity,
    FollowUp,
    Goal,
    GoalFollowUp,
    Indicator,
    Plan,
    PlanFocusArea,
    ReviewComment,
    Section,
)
from portal.imports.registry import BY_KIND
from portal.models import (
    FocusArea,
    ImportBatch,
    IndicatorDefinition,
    QualityCriterion,
    Role,
    StaircaseArea,
)
from tests.factories import InvitationFactory, UserFactory, member, organisation
from tests.factories_calendar import EventFactory, NetworkFactory, RegistrationFactory, add_member
from tests.factories_plans import adopted_plan, build_plan
from tests.factories_reviews import assess_all, submitted_plan

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
NEXT_YEAR = THIS_YEAR + 1
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# --- the hostile values -------------------------------------------------------------------------

HOSTILE = {
    "control": "Anna\x07\x1b[31m",
    "nul": "a\x00b",
    "newline": "Rad ett\r\nRad två",
    "long": "x" * 100_000,
    "nested": "<b>" * 500 + "x",
    "huge": str(10**23),
    "nan": "NaN",
    "superscript": "²",  # a digit to str.isdigit(), not to int()
    "year_1": "1",
    "year_9999": "9999",
    "date_1": "0001-01-01",
    "date_9999": "9999-12-31",
    "datetime_1": "0001-01-01T00:00",
    "datetime_9999": "9999-12-31T23:59",
    "localhost": "x@localhost",
    "ip_literal": "x@[127.0.0.1]",
}

# The kinds of field, and the values each gets.
LINE, TEXT, HTML, EMAIL, URL = "line", "text", "html", "email", "url"
DATE, DATETIME, YEAR, NUMBER, CHOICE = "date", "datetime", "year", "number", "choice"
VALUES = {
    LINE: ["control", "nul", "newline", "long", "nested"],
    TEXT: ["control", "nul", "long", "nested"],
    HTML: ["control", "nul", "long", "nested"],
    EMAIL: ["control", "nul", "newline", "long", "localhost", "ip_literal"],
    URL: ["control", "nul", "newline", "long"],
    DATE: ["nul", "long", "date_1", "date_9999"],
    DATETIME: ["nul", "long", "datetime_1", "datetime_9999"],
    YEAR: ["nul", "huge", "superscript", "year_1", "year_9999"],
    NUMBER: ["nul", "huge", "nan", "superscript"],
    CHOICE: ["nul", "huge", "long"],
}


# --- the world --------------------------------------------------------------------------------


class World(dict):
    """The module's objects by name: `w.draft`, `w.chef`, ..."""

    __getattr__ = dict.__getitem__


def build_world() -> World:
    w = World()
    w["chef"] = member(Role.CHEF, "0880", email="anna@kalmar.example.se")
    w["consultant"] = member(Role.CONSULTANT, "08", email="maria@region08.example.se")
    w["kb"] = member(Role.KB, "KB", email="karin@kb.example.se")
    # Plans: a draft with one of everything, one in review, an adopted one with follow-ups.
    w["draft"] = build_plan(areas=1, goals=1, activities=1, indicators=1)
    w["area"] = w.draft.focus_areas.get()
    w["goal"] = Goal.objects.get(focus_area__plan=w.draft)
    w["activity"] = w.goal.activities.get()
    w["indicator"] = w.goal.indicators.get()
    w["section"] = w.draft.sections.first()
    w["in_review"] = submitted_plan(w.chef)
    w["review"] = w.in_review.reviews.get()
    assess_all(w.review)
    w["thread"] = ReviewComment.objects.create(review=w.review, author=w.consultant, body="Utveckla detta.")
    w["adopted"] = adopted_plan(
        first_year=THIS_YEAR - 3,
        last_year=THIS_YEAR + 1,
        adopted_on=date(THIS_YEAR - 3, 1, 15),
        by=w.chef,
        sections=2,
        areas=1,
        goals=1,
        activities=1,
        indicators=1,
    )
    goals, indicators = followups.goals_and_indicators(w.adopted)
    w["followup_goal"], w["followup_indicator"] = goals[0], indicators[0]
    complete = followups.FollowUpData(
        narrative="Ett bra år.",
        goals={g.pk: ("in_progress", "") for g in goals},
        values={i.pk: Decimal("12.5") for i in indicators},
    )
    w["submitted_follow_up"] = followups.save(w.adopted, w.chef, THIS_YEAR - 2, complete, submit=True)
    # Calendar and networks (Region Kalmar län organises; the consultant manages).
    w["network"] = NetworkFactory(name="Barnbibliotekarier i Kalmar län", slug="barn-kalmar")
    add_member(w.network, UserFactory(), role=NetworkMember.Role.COORDINATOR)
    w["pending_member"] = add_member(w.network, UserFactory(), status=NetworkMember.Status.PENDING)
    w["event"] = EventFactory(
        title="Språkcafé i praktiken",
        network=w.network,
        starts_at=timezone.now() + timedelta(days=30),
    )
    w["event"].focus_areas.set([FocusArea.objects.filter(is_active=True).first()])
    RegistrationFactory(event=w.event)
    now = timezone.now()
    w["started"] = EventFactory(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=5))
    w["participant"] = RegistrationFactory(event=w.started)
    RegistrationFactory(event=w.event, user=w.chef, email=w.chef.email)
    feed = CalendarFeed(user=w.chef)
    feed.renew()
    feed.save()
    w["feed"] = feed
    w["invitation"] = InvitationFactory(organisation=organisation("0880"), role=Role.EDITOR)
    w["stair"] = StaircaseArea.objects.filter(is_active=True).first()
    w["criterion"] = QualityCriterion.objects.filter(is_active=True).first()
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, rolled back after its last test."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- the forms ----------------------------------------------------------------------------------


@dataclass
class Form:
    """One form: `url(w)`, posted as `persona` with `data(w)`, whose fields (name → kind) are
    replaced one by one. `then(w)` are the pages that show what an accepted post stored."""

    name: str
    persona: str
    url: object
    data: object
    fields: dict  # name -> kind; "{section}" in a name is the id of the world's `section`
    then: object = field(default=lambda w: [])
    upload: str | None = None  # an import kind: the fields are the columns of one CSV row


# The pages that show what an accepted post stored, besides the page it redirects to: the
# object's page and the list's spreadsheet export (test_exports_survive_hostile_values below
# checks every export with every value stored directly).


def plan_pages(w):
    return [reverse("plans:detail", args=[w.draft.pk]), reverse("plans:export", args=["xlsx"])]


def review_pages(w):
    return [reverse("plans:review", args=[w.in_review.pk, w.review.pk])]


def followup_pages(w):
    return [
        reverse("plans:followup", args=[w.adopted.pk, THIS_YEAR - 1]),
        reverse("plans:followups_export", args=["xlsx"]),
    ]


def event_pages(w):
    return [
        reverse("calendar_app:event_detail", args=[w.event.pk]),
        reverse("calendar_app:event_ics", args=[w.event.pk]),
        reverse("calendar_app:export", args=["xlsx"]),
        reverse("calendar_app:registrations_export", args=["xlsx"]),
    ]


def guest_pages(w):
    return [reverse("calendar_app:event_detail", args=[w.event.pk])]


def network_pages(w):
    return [
        reverse("network:detail", args=[w.network.slug]),
        reverse("calendar_app:feed_network", args=[w.network.slug]),
    ]


def organisation_pages(w):
    return [reverse("organisation_detail", args=["0880"])]


def catalogue_pages(w):
    return [reverse("catalogues")]


def event_data(w, **overrides):
    return {
        "title": "Språkcafé i praktiken",
        "kind": "training",
        "organiser": organisation("08").pk,
        "network": w.network.pk,
        "focus_areas": [FocusArea.objects.filter(is_active=True).first().pk],
        "starts_at": f"{NEXT_YEAR}-03-09T09:00",
        "ends_at": f"{NEXT_YEAR}-03-09T15:30",
        "place": "Regionbiblioteket, Kalmar",
        "online_url": "https://kalmar.se/bibliotek",
        "audience": "Bibliotekspersonal",
        "description": "Om språkcaféer för nyanlända.",
        "capacity": "25",
        "registration_opens_at": "",
        "registration_closes_at": f"{NEXT_YEAR}-03-01T23:59",
        "visibility": "public",
        **overrides,
    }


EVENT_FIELDS = {
    "title": LINE,
    "kind": CHOICE,
    "organiser": CHOICE,
    "network": CHOICE,
    "focus_areas": CHOICE,
    "starts_at": DATETIME,
    "ends_at": DATETIME,
    "place": LINE,
    "online_url": URL,
    "audience": LINE,
    "description": TEXT,
    "capacity": NUMBER,
    "registration_opens_at": DATETIME,
    "registration_closes_at": DATETIME,
    "visibility": CHOICE,
}


def network_data(w, **overrides):
    return {
        "name": "Sydöstra samverkan",
        "purpose": "Fortbildning tillsammans.",
        "regions": [organisation("08").pk],
        "focus_areas": [FocusArea.objects.filter(is_active=True).first().pk],
        "open_to_join": "on",
        "visibility": "public",
        "status": "active",
        "coordinators": "",
        **overrides,
    }


NETWORK_FIELDS = {
    "name": LINE,
    "purpose": TEXT,
    "regions": CHOICE,
    "focus_areas": CHOICE,
    "visibility": CHOICE,
    "status": CHOICE,
    "coordinators": EMAIL,
}


GOAL_FIELDS = {"title": LINE, "description": TEXT}
ACTIVITY_FIELDS = {"what": LINE, "responsible": LINE, "timing": LINE, "status": CHOICE}
INDICATOR_FIELDS = {
    "name": LINE,
    "unit": LINE,
    "baseline_year": YEAR,
    "baseline_value": NUMBER,
    "target_year": YEAR,
    "target_value": NUMBER,
    "direction": CHOICE,
    "value_2027": NUMBER,
}
INDICATOR_DATA = {
    "name": "Lån per invånare",
    "unit": "st",
    "baseline_year": "2026",
    "baseline_value": "4,5",
    "target_year": "2029",
    "target_value": "6",
    "direction": "increase",
    "value_2027": "5",
}


def _prefixed(prefix, data):
    return {f"{prefix}-{k}": v for k, v in data.items()}


def _catalogue(kind, data, fields, instance=None):
    def url(w):
        if instance is None:
            return reverse("catalogue_add", args=[kind])
        return reverse("catalogue_edit", args=[kind, instance().pk])

    return Form(f"catalogue_{kind}", "kb", url, lambda w: dict(data), fields, catalogue_pages)


STAIRCASE_LEVELS = {f"level_{n}_title": f"Nivå {n}" for n in range(1, 5)}

FORMS = [
    # --- people and accounts
    Form(
        "invite",
        "chef",
        lambda w: reverse("invite", args=["0880"]),
        lambda w: {
            "email": "ny@kalmar.example.se",
            "first_name": "Nora",
            "last_name": "Ek",
            "role": "editor",
        },
        {"email": EMAIL, "first_name": LINE, "last_name": LINE, "role": CHOICE},
        organisation_pages,
    ),
    Form(
        "invitation_accept",
        "anonymous",
        lambda w: reverse("invitation_accept", args=[w.invitation.token]),
        lambda w: {
            "first_name": "Nora",
            "last_name": "Ek",
            "password1": "Lanekort-Bokbuss-77",
            "password2": "Lanekort-Bokbuss-77",
        },
        {"first_name": LINE, "last_name": LINE, "password1": LINE, "password2": LINE},
        lambda w: [reverse("organisation_detail", args=["0880"])],
    ),
    Form(
        "login",
        "anonymous",
        lambda w: reverse("login"),
        lambda w: {"username": "anna@kalmar.example.se", "password": "fel-lösenord"},
        {"username": EMAIL, "password": LINE},
    ),
    Form(
        "password_reset",
        "anonymous",
        lambda w: reverse("password_reset"),
        lambda w: {"email": "anna@kalmar.example.se"},
        {"email": EMAIL},
    ),
    Form(
        "password_change",
        "chef",
        lambda w: reverse("password_change"),
        lambda w: {
            "old_password": "Korrekt-hast-batteri-9",
            "new_password1": "Lanekort-Bokbuss-77",
            "new_password2": "Lanekort-Bokbuss-77",
        },
        {"old_password": LINE, "new_password1": LINE, "new_password2": LINE},
    ),
    Form(
        "set_language",
        "anonymous",
        lambda w: reverse("set_language"),
        lambda w: {"language": "en", "next": "/kalendarium/"},
        {"language": CHOICE, "next": URL},
        lambda w: [reverse("calendar_app:list")],
    ),
    # --- catalogues and the development staircase (KB; the chef for Kalmar's levels)
    _catalogue(
        "fokusomraden",
        {"name": "Digital delaktighet 2", "description": "Beskrivning", "sort_order": "9", "is_active": "on"},
        {"name": LINE, "description": TEXT, "sort_order": NUMBER},
    ),
    _catalogue(
        "kvalitetskriterier",
        {"name": "Nytt kriterium", "description": "Beskrivning", "law_reference": "8 §", "sort_order": "9"},
        {"name": LINE, "description": TEXT, "law_reference": LINE, "sort_order": NUMBER},
    ),
    _catalogue(
        "nyckeltal",
        {
            "name": "Nytt nyckeltal",
            "unit": "st",
            "description": "",
            "source": "KB",
            "focus_area": "",
            "sort_order": "9",
            "is_active": "on",
        },
        {"name": LINE, "unit": LINE, "description": TEXT, "source": LINE, "focus_area": CHOICE},
        instance=lambda: IndicatorDefinition.objects.first(),
    ),
    _catalogue(
        "utvecklingstrappa",
        {"name": "Nytt område", "description": "", "sort_order": "9", "is_active": "on", **STAIRCASE_LEVELS},
        {"name": LINE, "description": TEXT, "level_1_title": LINE, "level_1_description": TEXT},
    ),
    Form(
        "staircase",
        "chef",
        lambda w: reverse("staircase", args=["0880"]),
        lambda w: {"level_{stair}": "2", "comment_{stair}": "Vi har börjat."},
        {"level_{stair}": CHOICE, "comment_{stair}": TEXT},
        organisation_pages,
    ),
    # --- plans
    Form(
        "plan_create",
        "chef",
        lambda w: reverse("plans:create"),
        lambda w: {
            "organisation": organisation("0880").pk,
            "kind": "municipal",
            "title": "Biblioteksplan för Kalmar",
            "first_year": str(NEXT_YEAR),
            "last_year": str(NEXT_YEAR + 3),
            "start": "template",
            "source": "",
        },
        {
            "organisation": CHOICE,
            "kind": CHOICE,
            "title": LINE,
            "first_year": YEAR,
            "last_year": YEAR,
            "start": CHOICE,
            "source": CHOICE,
        },
        plan_pages,
    ),
    Form(
        "plan_details",
        "chef",
        lambda w: reverse("plans:details_save", args=[w.draft.pk]),
        lambda w: {
            "title": "Ny titel",
            "first_year": "2026",
            "last_year": "2029",
            "version": w.draft.version,
        },
        {"title": LINE, "first_year": YEAR, "last_year": YEAR, "version": NUMBER},
        plan_pages,
    ),
    Form(
        "section_add",
        "chef",
        lambda w: reverse("plans:section_add", args=[w.draft.pk]),
        lambda w: {"heading": "Nytt avsnitt", "body": "<p>Text</p>"},
        {"heading": LINE, "body": HTML},
        plan_pages,
    ),
    Form(
        "section_save",
        "chef",
        lambda w: reverse("plans:section_save", args=[w.draft.pk, w.section.pk]),
        lambda w: _prefixed(
            "s{section}", {"heading": "Inledning", "body": "<p>Ny text</p>", "version": w.section.version}
        ),
        _prefixed("s{section}", {"heading": LINE, "body": HTML, "version": NUMBER}),
        plan_pages,
    ),
    Form(
        "focus_area_add",
        "chef",
        lambda w: reverse("plans:item_add", args=[w.draft.pk, "fokusomrade"]),
        lambda w: _prefixed(
            "fokusomrade-new",
            {
                "national": FocusArea.objects.filter(is_active=True).last().pk,
                "name": "Läsning",
                "description": "D",
            },
        ),
        _prefixed("fokusomrade-new", {"national": CHOICE, "name": LINE, "description": TEXT}),
        plan_pages,
    ),
    Form(
        "goal_add",
        "chef",
        lambda w: reverse("plans:item_add", args=[w.draft.pk, "mal"]),
        lambda w: {"under": w.area.pk, **_prefixed("mal-new", {"title": "Fler läser", "description": "D"})},
        {"under": CHOICE, **_prefixed("mal-new", GOAL_FIELDS)},
        plan_pages,
    ),
    Form(
        "goal_save",
        "chef",
        lambda w: reverse("plans:item_save", args=[w.draft.pk, "mal", w.goal.pk]),
        lambda w: _prefixed("mal-{goal}", {"title": "Ändrat", "description": "D", "version": 1}),
        _prefixed("mal-{goal}", {**GOAL_FIELDS, "version": NUMBER}),
        plan_pages,
    ),
    Form(
        "activity_add",
        "chef",
        lambda w: reverse("plans:item_add", args=[w.draft.pk, "insats"]),
        lambda w: {
            "under": w.goal.pk,
            **_prefixed(
                "insats-new",
                {"what": "Läsombud", "responsible": "Chef", "timing": "2027", "status": "planned"},
            ),
        },
        _prefixed("insats-new", ACTIVITY_FIELDS),
        plan_pages,
    ),
    Form(
        "indicator_add",
        "chef",
        lambda w: reverse("plans:item_add", args=[w.draft.pk, "nyckeltal"]),
        lambda w: {"under": w.goal.pk, **_prefixed("nyckeltal-new", INDICATOR_DATA)},
        _prefixed("nyckeltal-new", INDICATOR_FIELDS),
        plan_pages,
    ),
    Form(
        "item_move",
        "chef",
        lambda w: reverse("plans:item_move", args=[w.draft.pk, "avsnitt", w.section.pk]),
        lambda w: {"direction": "down"},
        {"direction": CHOICE},
        plan_pages,
    ),
    Form(
        "attachment_add",
        "chef",
        lambda w: reverse("plans:attachment_add", args=[w.draft.pk]),
        lambda w: {"title": "Underlag", "file": SimpleUploadedFile("a.pdf", PDF)},
        {"title": LINE},
        plan_pages,
    ),
    Form(
        "adopt",
        "chef",
        lambda w: reverse("plans:adopt", args=[w.draft.pk]),
        lambda w: {
            "adopted_on": f"{THIS_YEAR}-01-01",
            "adopted_by_body": "Kommunfullmäktige",
            "decision_reference": "KF § 45",
        },
        {"adopted_on": DATE, "adopted_by_body": LINE, "decision_reference": LINE},
        plan_pages,
    ),
    # --- reviews and follow-ups
    Form(
        "assess",
        "consultant",
        lambda w: reverse("plans:assess", args=[w.in_review.pk, w.review.pk]),
        lambda w: {"rating_{criterion}": "met", "comment_{criterion}": "Bra"},
        {"rating_{criterion}": CHOICE, "comment_{criterion}": TEXT},
        review_pages,
    ),
    Form(
        "review_close",
        "consultant",
        lambda w: reverse("plans:review_close", args=[w.in_review.pk, w.review.pk]),
        lambda w: {"outcome": "minor", "summary": "Bra plan."},
        {"outcome": CHOICE, "summary": TEXT},
        plan_pages,
    ),
    Form(
        "comment",
        "consultant",
        lambda w: reverse("plans:comment", args=[w.in_review.pk, w.review.pk]),
        lambda w: {"body": "Utveckla detta.", "section": w.in_review.sections.first().pk, "parent": ""},
        {"body": TEXT, "section": CHOICE, "parent": CHOICE},
        review_pages,
    ),
    Form(
        "comment_resolve",
        "consultant",
        lambda w: reverse("plans:comment_resolve", args=[w.in_review.pk, w.review.pk, w.thread.pk]),
        lambda w: {"resolved": "1"},
        {"resolved": CHOICE},
        review_pages,
    ),
    Form(
        "followup_start",
        "chef",
        lambda w: reverse("plans:followups", args=[w.adopted.pk]),
        lambda w: {"year": str(THIS_YEAR - 1)},
        {"year": YEAR},
        followup_pages,
    ),
    Form(
        "followup_save",
        "chef",
        lambda w: reverse("plans:followup", args=[w.adopted.pk, THIS_YEAR - 1]),
        lambda w: {
            "goal_{followup_goal}_status": "in_progress",
            "goal_{followup_goal}_comment": "På gång",
            "indicator_{followup_indicator}": "12,5",
            "narrative": "Ett bra år.",
        },
        {
            "goal_{followup_goal}_status": CHOICE,
            "goal_{followup_goal}_comment": TEXT,
            "indicator_{followup_indicator}": NUMBER,
            "narrative": TEXT,
        },
        followup_pages,
    ),
    Form(
        "followup_acknowledge",
        "consultant",
        lambda w: reverse("plans:followup_acknowledge", args=[w.adopted.pk, THIS_YEAR - 2]),
        lambda w: {"note": "Tack."},
        {"note": TEXT},
        followup_pages,
    ),
    Form(
        "followup_completion",
        "consultant",
        lambda w: reverse("plans:followup_completion", args=[w.adopted.pk, THIS_YEAR - 2]),
        lambda w: {"note": "Komplettera nyckeltalen."},
        {"note": TEXT},
        followup_pages,
    ),
    # --- reports (the year fields; a valid year would build the report)
    Form(
        "request_national",
        "kb",
        lambda w: reverse("reports:request_national"),
        lambda w: {"year": "x"},
        {"year": YEAR},
    ),
    Form(
        "request_regional",
        "consultant",
        lambda w: reverse("reports:request_regional"),
        lambda w: {"year": "x", "region": "08"},
        {"year": YEAR, "region": CHOICE},
    ),
    # --- calendar
    Form(
        "event_create",
        "consultant",
        lambda w: reverse("calendar_app:event_create"),
        event_data,
        EVENT_FIELDS,
        event_pages,
    ),
    Form(
        "event_edit",
        "consultant",
        lambda w: reverse("calendar_app:event_edit", args=[w.event.pk]),
        event_data,
        EVENT_FIELDS,
        event_pages,
    ),
    Form(
        "event_register",
        "anonymous",
        lambda w: reverse("calendar_app:event_register", args=[w.event.pk]),
        lambda w: {
            "name": "Lisa Nord",
            "email": "lisa.nord@torsas.example.se",
            "organisation": organisation("0834").pk,
            "needs": "Vegetarisk kost",
            "consent": "on",
        },
        {"name": LINE, "email": EMAIL, "organisation": CHOICE, "needs": TEXT, "consent": CHOICE},
        guest_pages,
    ),
    Form(
        "event_cancel",
        "consultant",
        lambda w: reverse("calendar_app:event_cancel", args=[w.event.pk]),
        lambda w: {"message": "Ny tid kommer."},
        {"message": TEXT},
        event_pages,
    ),
    Form(
        "participants",
        "consultant",
        lambda w: reverse("calendar_app:participants", args=[w.started.pk]),
        lambda w: {"attended": [str(w.participant.pk)]},
        {"attended": CHOICE},
        lambda w: [reverse("calendar_app:participants_export", args=[w.started.pk, "xlsx"])],
    ),
    Form(
        "feed_renew",
        "chef",
        lambda w: reverse("calendar_app:feed_renew"),
        lambda w: {"action": "renew"},
        {"action": CHOICE},
        lambda w: [reverse("calendar_app:my_registrations")],
    ),
    # --- networks
    Form(
        "network_create",
        "consultant",
        lambda w: reverse("network:create"),
        network_data,
        NETWORK_FIELDS,
        network_pages,
    ),
    Form(
        "network_edit",
        "consultant",
        lambda w: reverse("network:edit", args=[w.network.slug]),
        network_data,
        NETWORK_FIELDS,
        network_pages,
    ),
    Form(
        "network_member_change",
        "consultant",
        lambda w: reverse("network:member_change", args=[w.network.slug, w.pending_member.pk]),
        lambda w: {"action": "approve"},
        {"action": CHOICE},
        network_pages,
    ),
    Form(
        "network_document",
        "consultant",
        lambda w: reverse("network:document_upload", args=[w.network.slug]),
        lambda w: {"title": "Protokoll", "file": SimpleUploadedFile("p.pdf", PDF)},
        {"title": LINE},
        network_pages,
    ),
    # --- imports: the fields are the columns of one CSV row (preview, then confirm)
    Form(
        "import_statistics",
        "kb",
        lambda w: reverse("imports:upload", args=["statistik"]),
        lambda w: {
            "code": "0880",
            "year": "2025",
            "indicator": "Fysiska besök per invånare",
            "value": "4,2",
            "source": "KB",
        },
        {"code": CHOICE, "year": YEAR, "indicator": CHOICE, "value": NUMBER, "source": LINE},
        organisation_pages,
        upload="statistik",
    ),
    Form(
        "import_people",
        "consultant",
        lambda w: reverse("imports:upload", args=["personer"]),
        lambda w: {
            "email": "ny@kalmar.example.se",
            "first_name": "Nora",
            "last_name": "Ek",
            "code": "0880",
            "role": "Redaktör",
        },
        {"email": EMAIL, "first_name": LINE, "last_name": LINE, "code": CHOICE, "role": CHOICE},
        organisation_pages,
        upload="personer",
    ),
    Form(
        "import_organisations",
        "kb",
        lambda w: reverse("imports:upload", args=["organisationer"]),
        lambda w: {
            "code": "0880",
            "name": "Kalmar",
            "library_name": "Kalmar stadsbibliotek",
            "website": "https://kalmar.se/bibliotek",
            "email": "bibliotek@kalmar.se",
            "phone": "0480-45 06 30",
            "address": "Tullslätten 4, Kalmar",
        },
        {"name": LINE, "library_name": LINE, "website": URL, "email": EMAIL, "phone": LINE, "address": LINE},
        lambda w: [*organisation_pages(w), reverse("plans:export", args=["xlsx"])],
        upload="organisationer",
    ),
    Form(
        "import_events",
        "consultant",
        lambda w: reverse("imports:upload", args=["evenemang"]),
        lambda w: {
            "title": "Språkstart",
            "kind": "Utbildning",
            "organiser": "08",
            "network": "",
            "starts": f"{NEXT_YEAR}-03-04 09:00",
            "ends": f"{NEXT_YEAR}-03-04 15:30",
            "place": "Kalmar",
            "online_url": "",
            "audience": "Barnbibliotekarier",
            "description": "",
            "capacity": "40",
            "focus_areas": "",
            "visibility": "Öppet för alla",
        },
        {
            "title": LINE,
            "kind": CHOICE,
            "organiser": CHOICE,
            "starts": DATETIME,
            "ends": DATETIME,
            "place": LINE,
            "online_url": URL,
            "audience": LINE,
            "description": TEXT,
            "capacity": NUMBER,
        },
        event_pages,
        upload="evenemang",
    ),
]


@dataclass
class Query:
    """A page whose query string is a form (filters, a year, a page number), read as `persona`."""

    name: str
    persona: str
    url: object
    params: dict  # name -> kind


FILTERS = {"region": CHOICE, "kind": CHOICE, "focus_area": CHOICE, "network": CHOICE}
QUERIES = [
    Query(
        "plan_list",
        "chef",
        lambda w: reverse("plans:list"),
        {
            "q": LINE,
            "region": CHOICE,
            "status": CHOICE,
            "year": YEAR,
            "focus": CHOICE,
            "kind": CHOICE,
            "sort": CHOICE,
            "sida": NUMBER,
        },
    ),
    Query(
        "plan_export",
        "anonymous",
        lambda w: reverse("plans:export", args=["xlsx"]),
        {"q": LINE, "year": YEAR},
    ),
    Query("plan_create_from", "chef", lambda w: reverse("plans:create"), {"fran": NUMBER}),
    Query("plan_history", "chef", lambda w: reverse("plans:history", args=[w.draft.pk]), {"sida": NUMBER}),
    Query(
        "plan_compare",
        "chef",
        lambda w: reverse("plans:compare", args=[w.draft.pk]),
        {"fran": NUMBER, "till": NUMBER},
    ),
    Query(
        "item_form",
        "chef",
        lambda w: reverse("plans:item_add", args=[w.draft.pk, "insats"]),
        {"under": NUMBER},
    ),
    Query(
        "region_overview", "consultant", lambda w: reverse("plans:region_overview", args=["08"]), {"ar": YEAR}
    ),
    Query("staircase", "chef", lambda w: reverse("staircase", args=["0880"]), {"ar": YEAR}),
    Query("staircase_region", "consultant", lambda w: reverse("staircase_region", args=["08"]), {"ar": YEAR}),
    Query("notifications", "chef", lambda w: reverse("notifications"), {"sida": NUMBER}),
    Query(
        "calendar_list",
        "anonymous",
        lambda w: reverse("calendar_app:list"),
        {**FILTERS, "free_seats": CHOICE, "fran": DATE, "visa": CHOICE, "sida": NUMBER},
    ),
    Query(
        "calendar_export",
        "consultant",
        lambda w: reverse("calendar_app:registrations_export", args=["xlsx"]),
        {**FILTERS, "fran": DATE},
    ),
    Query(
        "calendar_month", "anonymous", lambda w: reverse("calendar_app:month", args=[NEXT_YEAR, 3]), FILTERS
    ),
    Query("event_create_in", "consultant", lambda w: reverse("calendar_app:event_create"), {"natverk": LINE}),
    Query(
        "network_list",
        "anonymous",
        lambda w: reverse("network:list"),
        {"region": CHOICE, "focus_area": CHOICE, "join": CHOICE, "status": CHOICE, "sida": NUMBER},
    ),
]


# Views that take a POST without fields of their own (a button): the permission matrices post
# to them; there is nothing to fill with hostile values.
NO_FIELDS = {
    "logout",
    "invitation_revoke",
    "invitation_resend",
    "membership_remove",
    "notification_open",
    "notifications_read",
    "plans:item_delete",
    "plans:restore",
    "plans:submit",
    "plans:withdraw",
    "imports:confirm",
    "imports:cancel",
    "reports:request_followup",
    "calendar_app:event_publish",
    "calendar_app:event_copy",
    "calendar_app:registration_cancel",
    "calendar_app:my_registration_cancel",
    "calendar_app:feed_revoke",
    "network:join",
    "network:leave",
    "network:document_delete",
    "password_reset_confirm",  # Django's own form, behind a one-time link: test_auth.py
}
# URL names of the forms above (a form may cover a URL name under another test name).
WALKED = {
    "invite",
    "invitation_accept",
    "login",
    "password_reset",
    "password_change",
    "set_language",
    "catalogue_add",
    "catalogue_edit",
    "staircase",
    "plans:create",
    "plans:details_save",
    "plans:section_add",
    "plans:section_save",
    "plans:item_add",
    "plans:item_save",
    "plans:item_move",
    "plans:attachment_add",
    "plans:adopt",
    "plans:assess",
    "plans:review_close",
    "plans:comment",
    "plans:comment_resolve",
    "plans:followups",
    "plans:followup",
    "plans:followup_acknowledge",
    "plans:followup_completion",
    "reports:request_national",
    "reports:request_regional",
    "calendar_app:event_create",
    "calendar_app:event_edit",
    "calendar_app:event_register",
    "calendar_app:event_cancel",
    "calendar_app:participants",
    "calendar_app:feed_renew",
    "network:create",
    "network:edit",
    "network:member_change",
    "network:document_upload",
    "imports:upload",
}

# --- known failures ----------------------------------------------------------------------------
# (form, field, value) -> why it may fail, as an xfail. Empty: every case the walk found is fixed
# (issue 14's items 1, 2, 3 and 5 were merged). Add an entry only with an issue to fix it.
KNOWN: dict[tuple[str, str, str], str] = {}
# (export, value) -> the same, for test_exports_survive_hostile_values
KNOWN_EXPORTS: dict[tuple[str, str], str] = {}


# --- the walk -----------------------------------------------------------------------------------


class Ids(dict):
    """For str.format_map: "{section}" is the id of the world's `section`."""

    def __init__(self, world):
        super().__init__()
        self.world = world

    def __missing__(self, key):
        return self.world[key].pk


def resolve(name: str, w) -> str:
    return name.format_map(Ids(w))


def param(known: dict, key: tuple, *values):
    """A test case named by `key`, expected to fail (not strictly) when `known` lists it."""
    marks = [pytest.mark.xfail(strict=False, reason=known[key])] if key in known else []
    return pytest.param(*values, id="-".join(key), marks=marks)


def _cases():
    for form in FORMS:
        for name, kind in form.fields.items():
            for value in VALUES[kind]:
                yield param(KNOWN, (form.name, name, value), form, name, value)


def _query_cases():
    for query in QUERIES:
        for name, kind in query.params.items():
            for value in VALUES[kind]:
                yield param(KNOWN, (query.name, name, value), query, name, value)


def client_as(client, w, persona):
    if persona != "anonymous":
        client.force_login(w[persona])
    return client


def project_tables() -> list[str]:
    tables = []
    for label in ("portal", "plans", "calendar_app", "network", "overview"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.append(model._meta.db_table)
    return sorted(tables)


def snapshot() -> dict[str, list]:
    """Every row of the portal's tables (a few hundred in the world), to compare before/after."""
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for table in project_tables():
            cursor.execute(f"SELECT * FROM {quote(table)}")
            rows[table] = sorted(repr(row) for row in cursor.fetchall())
    return rows


def changed_tables(before, after) -> list[str]:
    return [table for table in before if before[table] != after[table]]


def _contexts(response):
    context = response.context
    if context is None:
        return []
    return list(context) if isinstance(context, ContextList) else [context]


def form_errors(response) -> dict:
    """The errors of every bound form the answer rendered."""
    errors = {}
    for context in _contexts(response):
        values = context.flatten().values() if isinstance(context, Context) else context.values()
        for value in values:
            if isinstance(value, BaseForm) and value.is_bound and value.errors:
                errors.update(value.errors)
    return errors


def error_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level >= message_levels.WARNING]


def is_refusal(response) -> bool:
    return response.status_code >= 400 or bool(form_errors(response)) or bool(error_messages(response))


def csv_file(row: dict) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(row.keys())
    writer.writerow(row.values())
    return SimpleUploadedFile("rader.csv", buffer.getvalue().encode("utf-8-sig"))


def post(client, form: Form, w, data: dict):
    url = form.url(w)
    if form.upload:
        labels = {c.key: str(c.label) for c in BY_KIND[form.upload].columns}
        with_labels = {labels[key]: value for key, value in data.items()}
        return client.post(url, {"file": csv_file(with_labels)})
    return client.post(url, data)


def check_accepted(client, form: Form, w, response, label):
    """After an accepted post: the pages that show what was stored are not a 500."""
    pages = list(form.then(w))
    if response.status_code in (301, 302, 303) and response["Location"].startswith("/"):
        pages.insert(0, response["Location"])
    for page in pages:
        answer = client.get(page)
        assert answer.status_code < 500, f"{label}: GET {page} gave {answer.status_code}"


def confirm_import(client, response, label):
    """A preview without row errors is confirmed: the import runs for real."""
    batch = ImportBatch.objects.order_by("-pk").first()
    if batch is None or batch.preview.get("errors"):
        return False
    answer = client.post(reverse("imports:confirm", args=[batch.pk]))
    assert answer.status_code < 500, f"{label}: confirming the import gave {answer.status_code}"
    return not is_refusal(answer)


def walk(client, w, form: Form, name: str, value: str, label: str):
    data = {resolve(k, w): v for k, v in form.data(w).items()}
    data[resolve(name, w)] = value
    before = snapshot()
    response = post(client, form, w, data)
    assert response.status_code < 500, f"{label}: {response.status_code}"
    if is_refusal(response):
        after = snapshot()
        assert changed_tables(before, after) == [], f"{label}: refused, but rows changed"
        return
    if form.upload and not confirm_import(client, response, label):
        return
    check_accepted(client, form, w, response, label)


@pytest.mark.parametrize(("form", "name", "value"), list(_cases()))
def test_hostile_value_in_a_field_gives_no_500_and_a_refusal_writes_nothing(world, client, form, name, value):
    client.raise_request_exception = False
    client_as(client, world, form.persona)
    walk(client, world, form, name, HOSTILE[value], f"{form.name} {name}={value}")


@pytest.mark.parametrize(("query", "name", "value"), list(_query_cases()))
def test_hostile_value_in_a_query_string_gives_no_500(world, client, query, name, value):
    client.raise_request_exception = False
    client_as(client, world, query.persona)
    response = client.get(query.url(world), {name: HOSTILE[value]})
    assert response.status_code < 500


# A few generated values on top of the fixed ones: any printable or control character (no
# surrogates, which a form cannot carry), in the single-line and multi-line text fields of the
# forms strangers and organisers fill in most.
GENERATED = [
    ("event_register", "name"),
    ("event_create", "title"),
    ("section_add", "body"),
    ("invite", "first_name"),
]
TEXT_VALUES = st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=300)


def _generated_cases():
    for form_name, name in GENERATED:
        yield param(KNOWN, (form_name, name, "generated"), form_name, name)


@pytest.mark.parametrize(("form_name", "name"), list(_generated_cases()))
def test_generated_text_gives_no_500_and_a_refusal_writes_nothing(world, client, form_name, name):
    form = next(f for f in FORMS if f.name == form_name)
    client.raise_request_exception = False
    client_as(client, world, form.persona)

    @settings(
        max_examples=8,
        derandomize=True,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate),  # no shrinking: a failing example is reported as found
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(TEXT_VALUES)
    def check(value):
        with transaction.atomic():
            walk(client, world, form, name, value, f"{form_name} {name}={value!r}")
            transaction.set_rollback(True)

    check()


def _views(patterns=None, namespace=None):
    """(URL name, view) of every named URL outside the admin, through the includes."""
    from django.urls import URLResolver, get_resolver

    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                yield from _views(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern.callback


def _takes_post(view) -> bool:
    if hasattr(view, "view_class"):
        return hasattr(view.view_class, "post")
    return "POST" in inspect.getsource(inspect.unwrap(view))


def test_every_form_view_is_walked():
    """A new view that takes a POST gets a row in FORMS, or (a button without fields of its
    own) a place in NO_FIELDS."""
    views = dict(_views())
    posting = {name for name, view in views.items() if _takes_post(view)}
    assert posting - WALKED - NO_FIELDS == set()
    assert (WALKED | NO_FIELDS) - posting == set()


# --- exports of records holding the hostile values ---------------------------------------------
# The values are stored directly (bypassing the forms, as old data, an import or the admin could
# have them), in every text field of the records each export shows, or as the dates and years.

EXPORT_VALUES = ["control", "nul", "newline", "long", "nested", "huge", "year_1", "year_9999"]
TEXT_FIELDS = {
    Event: ["title", "place", "audience", "description"],
    Registration: ["name", "needs"],
    Network: ["name", "purpose"],
    Plan: ["adopted_by_body", "decision_reference"],  # and the title, below
    Section: ["heading", "body"],  # the last one is the adopted plan's
    PlanFocusArea: ["name", "description"],
    Goal: ["title", "description"],
    Activity: ["what", "responsible", "timing"],
    Indicator: ["name", "unit"],
    FollowUp: ["narrative"],
    GoalFollowUp: ["comment"],
}


# The fields without a length limit that hold all of a long value, in the last row only (one
# record is enough, and a PDF of 100,000 characters in every part of a plan takes half a minute);
# every other field and row holds its first 1,000 characters.
WHOLE = {
    Event: "description",
    Registration: "needs",
    Network: "purpose",
    Section: "body",
    FollowUp: "narrative",
}
SHORTER = 1_000


def store_text(value: str) -> None:
    """Every listed text field of every row holds `value`, cut to the column's length (as the
    database would have it) and, for a long value, as WHOLE says."""
    for model, names in TEXT_FIELDS.items():
        updates = {}
        for name in names:
            limit = model._meta.get_field(name).max_length or SHORTER
            updates[name] = value[:limit]
        model.objects.update(**updates)
        if model in WHOLE:
            last = model.objects.order_by("-pk")[:1].values_list("pk", flat=True)
            model.objects.filter(pk__in=list(last)).update(**{WHOLE[model]: value})
    for plan in Plan.objects.all():  # titles are unique per organisation
        suffix = f" {plan.pk}"
        Plan.objects.filter(pk=plan.pk).update(title=value[: 200 - len(suffix)] + suffix)


def store_year(year: int) -> None:
    """Every event on 1 January of year 1, or on 31 December 9999 (the last hour Python can
    still show in Swedish time); the adopted plan adopted then, for those years."""
    if year == 1:
        starts = datetime(1, 1, 1, 0, 0, tzinfo=UTC)
        ends, day = starts + timedelta(hours=2), date(1, 1, 1)
    else:
        ends = datetime(9999, 12, 31, 22, 0, tzinfo=UTC)
        starts, day = ends - timedelta(hours=2), date(9999, 12, 31)
    Event.objects.update(
        starts_at=starts, ends_at=ends, registration_opens_at=starts, registration_closes_at=starts
    )
    Plan.objects.filter(status=Plan.Status.ADOPTED).update(adopted_on=day, first_year=year, last_year=year)


@dataclass
class Export:
    name: str
    persona: str
    get: object  # (client, world) -> status code


def _url(label, name, *args, persona="consultant"):
    def get(client, w):
        return client.get(reverse(name, args=[a(w) if callable(a) else a for a in args])).status_code

    return Export(label, persona, get)


def _report(label, kind, parameters, render):
    def get(client, w):
        report = report_for(kind, parameters(w))
        with translation.override("sv"):
            getattr(report, render)(report.collect())
        return 200

    return Export(label, "kb", get)


FOLLOW_UP = lambda w: {"follow_up": w.submitted_follow_up.pk}  # noqa: E731
EXPORTS = [
    _url("plans.csv", "plans:export", "csv"),
    _url("plans.xlsx", "plans:export", "xlsx"),
    _url("followups.csv", "plans:followups_export", "csv"),
    _url("followups.xlsx", "plans:followups_export", "xlsx"),
    _url("plan.pdf", "plans:pdf", lambda w: w.adopted.pk),
    _url("events.csv", "calendar_app:export", "csv"),
    _url("events.xlsx", "calendar_app:export", "xlsx"),
    _url("registrations.csv", "calendar_app:registrations_export", "csv"),
    _url("registrations.xlsx", "calendar_app:registrations_export", "xlsx"),
    _url("participants.csv", "calendar_app:participants_export", lambda w: w.event.pk, "csv"),
    _url("participants.xlsx", "calendar_app:participants_export", lambda w: w.event.pk, "xlsx"),
    _url("event.ics", "calendar_app:event_ics", lambda w: w.event.pk),
    _url("region.ics", "calendar_app:feed_region", "08"),
    _url("network.ics", "calendar_app:feed_network", "barn-kalmar"),
    _url("personal.ics", "calendar_app:feed_personal", lambda w: w.feed.token),
    _report("followup_report.pdf", "followup", FOLLOW_UP, "render_pdf"),
    _report("followup_report.xlsx", "followup", FOLLOW_UP, "render_xlsx"),
    _report("national_report.xlsx", "national", lambda w: {"year": THIS_YEAR}, "render_xlsx"),
    _report("regional_report.xlsx", "regional", lambda w: {"year": THIS_YEAR, "region": "08"}, "render_xlsx"),
]


def _export_cases():
    for export in EXPORTS:
        for value in EXPORT_VALUES:
            yield param(KNOWN_EXPORTS, (export.name, value), export, value)


@pytest.mark.parametrize(("export", "value"), list(_export_cases()))
def test_exports_survive_hostile_values(world, client, export, value):
    if value == "nul" and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL stores no NUL in text: such a record cannot exist there")
    cache.clear()  # the plan PDF is cached by the plan's last change, which store_* leave alone
    if value.startswith("year_"):
        store_year(int(HOSTILE[value]))
    else:
        store_text(HOSTILE[value])
    client.raise_request_exception = False
    client_as(client, world, export.persona)
    assert export.get(client, world) < 500
