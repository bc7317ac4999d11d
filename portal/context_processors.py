from django.conf import settings


def portal(request):
    """Values the shell template needs on every page."""
    user = getattr(request, "user", None)
    return {
        "portal_name": "Biblioteksportalen",
        "show_admin_link": bool(user and user.is_authenticated and user.is_staff),
        "debug": settings.DEBUG,
    }
