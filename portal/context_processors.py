from django.conf import settings

from portal.models import Role
from portal.rules import can, has_role


def portal(request):
    """Values the shell template needs on every page."""

    user = getattr(request, "user", None)
    logged_in = bool(user and user.is_authenticated)
    return {
        "portal_name": "Biblioteksportalen",
        "show_admin_link": logged_in and user.is_staff,
        "show_reports_link": logged_in and (can(user, "reports.national") or has_role(user, Role.CONSULTANT)),
        "debug": settings.DEBUG,
    }


def notifications(request):
    """The header's unread count (kept on the user row: no query) and the review-queue link."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}

    return {
        "unread_notifications": user.unread_notification_count,
        "nav_review_queue": can(user, "plans.use_review_queue"),
    }
