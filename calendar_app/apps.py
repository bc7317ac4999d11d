from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CalendarAppConfig(AppConfig):
    name = "calendar_app"
    verbose_name = _("Calendar")

    def ready(self) -> None:
        from portal.imports.registry import Importer, register

        from .imports import EventResource

        register(
            Importer(
                "evenemang",
                pgettext_lazy("import kind", "Events"),
                _(
                    "Adds events to the calendar as drafts, for example a term's training programme. "
                    "Publish them from the calendar."
                ),
                EventResource,
                "calendar_app.import_events",
                order=30,
            )
        )
