from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    """The top layer: the dashboard, the reports and the demo data, which read every feature app."""

    name = "overview"
    verbose_name = _("Overview and reports")
    default_auto_field = "django.db.models.BigAutoField"
