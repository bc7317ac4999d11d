"""Imports × every persona. Every row of a file is checked again (tests/test_imports.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.imports import services
from portal.imports.registry import BY_KIND
from portal.models import ImportBatch
from tests.matrix import IMPORT_URL_NAMES, PERSONAS, Effect, assert_answer, expect, happened

pytestmark = pytest.mark.django_db

STATISTICS = expect(200, anonymous="login", editor=404, no_role=404)
EVENTS = expect(404, anonymous="login", consultant=200, other_consultant=200, admin=200)
CSV = "Kod;År;Nyckeltal;Värde\n0880;2024;Fysiska besök per invånare;4\n".encode()


@pytest.fixture
def chefs_batch(chef):
    return services.preview(BY_KIND["statistik"], chef, "nyckeltal.csv", CSV)


def redirected(table):
    return {p: ("redirect" if v == 200 else v) for p, v in table.items()}


CASES = [
    ("index", "get", lambda f: reverse("imports:index"), STATISTICS, None),
    ("upload", "get", lambda f: reverse("imports:upload", args=["statistik"]), STATISTICS, None),
    ("upload", "get", lambda f: reverse("imports:upload", args=["personer"]), STATISTICS, None),
    ("upload", "get", lambda f: reverse("imports:upload", args=["organisationer"]), STATISTICS, None),
    ("upload", "get", lambda f: reverse("imports:upload", args=["evenemang"]), EVENTS, None),
    (
        "upload",
        "get",
        lambda f: reverse("imports:upload", args=["okand"]),
        expect(404, anonymous="login"),
        None,
    ),
    (
        "upload",
        "post",
        lambda f: reverse("imports:upload", args=["statistik"]),
        redirected(STATISTICS),
        lambda f: {"file": SimpleUploadedFile("a.csv", CSV)},
    ),
    ("template", "get", lambda f: reverse("imports:template", args=["statistik", "xlsx"]), STATISTICS, None),
    ("template", "get", lambda f: reverse("imports:template", args=["evenemang", "csv"]), EVENTS, None),
    (
        "preview",
        "get",
        lambda f: reverse("imports:preview", args=[f("chefs_batch").pk]),
        expect(404, anonymous="login", chef=200),
        None,
    ),
    (
        "confirm",
        "post",
        lambda f: reverse("imports:confirm", args=[f("chefs_batch").pk]),
        expect(404, anonymous="login", chef="redirect"),
        None,
    ),
    (
        "cancel",
        "post",
        lambda f: reverse("imports:cancel", args=[f("chefs_batch").pk]),
        expect(404, anonymous="login", chef="redirect"),
        None,
    ),
]


def _batch_status(f):
    return ImportBatch.objects.get(pk=f("chefs_batch").pk).status


EFFECTS = {
    # a GET of the upload page makes no batch; a post makes the person's preview
    "upload": Effect(
        lambda f, r, user: ImportBatch.objects.filter(created_by=user, filename="a.csv").exists()
    ),
    "confirm": Effect(lambda f, r, user: _batch_status(f) == ImportBatch.Status.IMPORTED),
    "cancel": Effect(lambda f, r, user: _batch_status(f) == ImportBatch.Status.CANCELLED),
}


@pytest.mark.parametrize("persona_name", PERSONAS)
@pytest.mark.parametrize(
    ("name", "method", "url", "expected", "data"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_import_permission_matrix(
    client_for, persona, request, persona_name, name, method, url, expected, data
):
    client = client_for(persona_name)
    fixture = request.getfixturevalue
    target, payload = url(fixture), data(fixture) if data else {}
    response, done = happened(
        EFFECTS, name, fixture, persona(persona_name), lambda: getattr(client, method)(target, payload)
    )
    assert_answer(response, expected[persona_name], f"{name} as {persona_name}", done)


def test_matrix_covers_every_import_url():
    from portal.imports.urls import urlpatterns

    assert {p.name for p in urlpatterns} == IMPORT_URL_NAMES
