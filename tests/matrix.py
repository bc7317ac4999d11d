"""The URL × role matrices (tests/test_permissions_*.py): the personas, the cells, the effects
of the rows that change something, and the URL names each matrix covers.

A cell is "login" (a redirect to the login page), "admin_login", "redirect" (any other redirect,
and the row's effect happened: the action was allowed and done), "refused" (any other redirect,
with a message, and the effect did not happen) or the exact status code. A row whose cells
redirect names its effect in its module's EFFECTS (checked after every request: it must have
happened for "redirect" and not for any other cell). A new view gets a row in its module's CASES
and its name in the set below.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

# One fixture each in tests/conftest.py.
PERSONAS = [
    "anonymous",
    "chef",
    "editor",
    "consultant",
    "other_chef",
    "other_consultant",
    "kb",
    "admin",
    "no_role",
]


def expect(default, **overrides):
    """A row: `default` for every persona but those named."""
    table = {p: default for p in PERSONAS}
    table.update(overrides)
    return table


ALL_OK = expect(200)
LOGGED_IN_OK = expect(200, anonymous="login")
# Kalmar municipality's plans: who reads the internal ones, and who writes them.
READERS = {"chef": 200, "editor": 200, "consultant": 200, "kb": 200, "admin": 200}
WRITERS = {"chef": "redirect", "editor": "redirect", "admin": "redirect"}


@dataclass(frozen=True)
class Effect:
    """What a row's action does. `done(f, response, user)` tells, after the request, whether it
    happened (`f` gives the module's fixtures, `user` is None for anonymous); `given(f, user)`, if
    set, first gives the person what the action works on (an unread notification to mark read)."""

    done: Callable
    given: Callable | None = None


def happened(effects: dict, name: str, f, user, send) -> tuple:
    """Send the request of row `name` (`send()` returns the response) and tell whether the row's
    effect happened: (response, True/False), or (response, None) for a row with no effect."""
    effect = effects.get(name)
    if effect is not None and effect.given is not None and user is not None:
        effect.given(f, user)
    response = send()
    return response, (None if effect is None else bool(effect.done(f, response, user)))


def assert_answer(response, want, context="", done=None):
    """Check a response against a matrix cell: "login" (redirect to the login page),
    "admin_login", "redirect" (any other redirect, and the action was done), "refused" (any other
    redirect, and it was not) or a status code. `done` is whether the row's effect happened (None
    for a row without one); it must have for "redirect", and for no other cell."""
    login_url = reverse(settings.LOGIN_URL)
    if want == "login":
        assert response.status_code == 302 and response["Location"].startswith(login_url), context
    elif want == "admin_login":
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    elif want in ("redirect", "refused"):
        assert response.status_code == 302 and not response["Location"].startswith(login_url), (
            response.status_code,
            context,
        )
        assert done is not None, f"a {want!r} cell needs the row's effect in EFFECTS ({context})"
    else:
        assert response.status_code == want, context
    if done is not None:
        assert done is (want == "redirect"), (
            f"the effect {'did not happen' if want == 'redirect' else 'happened'} ({context})"
        )


# --- the URL names each matrix covers ----------------------------------------------------------

PLAN_URL_NAMES = {
    "list",
    "export",
    "followups_export",
    "create",
    "detail",
    "pdf",
    "edit",
    "details_save",
    "section_add",
    "section_save",
    "item_add",
    "item_save",
    "item_move",
    "item_delete",
    "history",
    "compare",
    "restore",
    "attachment_add",
    "attachment_download",
    "adopt",
    "copy",
}
REVIEW_URL_NAMES = {
    "review_queue",
    "region_overview",
    "submit",
    "withdraw",
    "reviews",
    "review",
    "assess",
    "review_close",
    "comment",
    "comment_resolve",
    "followups",
    "followup",
    "followup_acknowledge",
    "followup_completion",
}
PORTAL_URL_NAMES = {
    "catalogues",
    "catalogue_add",
    "catalogue_edit",
    "notifications",
    "notification_open",
    "notifications_read",
    "staircase",
    "staircase_region",
}
REPORT_URL_NAMES = {"index", "request_national", "request_regional", "request_followup", "job", "download"}
IMPORT_URL_NAMES = {"index", "upload", "template", "preview", "confirm", "cancel"}
