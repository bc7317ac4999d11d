from django.conf import settings


def portal(request):
    """Values the shell template needs on every page."""
    from portal.models import Role
    from portal.permissions import can, has_role

    user = getattr(request, "user", None)
    logged_in = bool(user and user.is_authenticated)
    return {
        "portal_name": "Biblioteksportalen",
        "show_admin_link": logged_in and user.is_staff,
        "show_reports_link": logged_in and (can(user, "reports.national") or has_role(user, Role.CONSULTANT)),
        "debug": settings.DEBUG,
    }
