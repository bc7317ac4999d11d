"""The import kinds offered on the import page, and who may use each."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.rules import can


@dataclass(frozen=True)
class Importer:
    kind: str  # also the URL slug
    title: str
    description: str
    resource_path: str  # "module:Class", imported when used
    permission: str

    @property
    def resource_class(self):
        from importlib import import_module

        module, name = self.resource_path.split(":")
        return getattr(import_module(module), name)

    @property
    def columns(self):
        return self.resource_class.columns

    def allowed_values(self):
        return self.resource_class.allowed_values()

    def may_use(self, user) -> bool:
        return can(user, self.permission)


IMPORTERS = [
    Importer(
        "statistik",
        _("Key figures"),
        _(
            "Values of the national key indicators per organisation and year, for example from KB's "
            "library statistics or Kolada. A value that already exists for the same organisation, "
            "indicator and year is updated."
        ),
        "portal.imports.kinds:StatisticResource",
        "portal.import_statistics",
    ),
    Importer(
        "personer",
        _("People"),
        _(
            "Invites people to the portal with a role in an organisation. Each person gets an e-mail "
            "with a link to set a password when the import is confirmed."
        ),
        "portal.imports.kinds:PersonResource",
        "portal.import_people",
    ),
    Importer(
        "evenemang",
        pgettext_lazy("import kind", "Events"),
        _(
            "Adds events to the calendar as drafts, for example a term's training programme. "
            "Publish them from the calendar."
        ),
        "calendar_app.imports:EventResource",
        "calendar_app.import_events",
    ),
    Importer(
        "organisationer",
        _("Organisations' contact details"),
        _(
            "The library organisation's name, website, e-mail address, phone and visiting address per "
            "organisation code. Empty cells leave the current details as they are."
        ),
        "portal.imports.kinds:OrganisationResource",
        "portal.import_organisations",
    ),
]
BY_KIND = {importer.kind: importer for importer in IMPORTERS}


def importers_for(user) -> list[Importer]:
    return [importer for importer in IMPORTERS if importer.may_use(user)]
