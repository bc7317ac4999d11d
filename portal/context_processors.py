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
    """The unread count for the header's notification link (one query, only when rendered)."""
    from django.utils.functional import SimpleLazyObject

    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    from portal.notifications import unread_count
    from portal.permissions import can

    return {
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
        "nav_review_queue": can(user, "plans.use_review_queue"),
    }
