"""The URL × role matrices (tests/test_permissions_*.py): the personas, the cells and the URL
names each matrix covers.

A cell is "login" (a redirect to the login page), "admin_login", "redirect" (any other redirect:
the action was allowed and done) or the exact status code. A new view gets a row in its
module's CASES and its name in the set below.
"""

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


def assert_answer(response, want, context=""):
    """Check a response against a matrix cell: "login" (redirect to the login page),
    "admin_login", "redirect" (any other redirect: allowed and done) or a status code."""
    login_url = reverse(settings.LOGIN_URL)
    if want == "login":
        assert response.status_code == 302 and response["Location"].startswith(login_url), context
    elif want == "admin_login":
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    elif want == "redirect":
        assert response.status_code == 302 and not response["Location"].startswith(login_url), (
            response.status_code,
            context,
        )
    else:
        assert response.status_code == want, context


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
