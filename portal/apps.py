from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .catalogues import load_catalogues_after_migrate
        from .focus_areas import load_focus_areas_after_migrate
        from .imports.core_kinds import register_core_importers
        from .organisations import load_organisations_after_migrate

        post_migrate.connect(load_organisations_after_migrate, sender=self)
        post_migrate.connect(load_focus_areas_after_migrate, sender=self)
        post_migrate.connect(load_catalogues_after_migrate, sender=self)
        register_core_importers()
