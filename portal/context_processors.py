from django.conf import settings


def portal(request):
    """Values the shell template needs on every page."""
    user = getattr(request, "user", None)
    return {
        "portal_name": "Biblioteksportalen",
        "show_admin_link": bool(user and user.is_authenticated and user.is_staff),
        "debug": settings.DEBUG,
    }


def notifications(request):
    """The header's unread count (kept on the user row: no query) and the review-queue link."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    from portal.permissions import can

    return {
        "unread_notifications": user.unread_notification_count,
        "nav_review_queue": can(user, "plans.use_review_queue"),
    }
