"""The portal's own import kinds on the import page (registered by PortalConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from portal.imports.kinds import OrganisationResource, PersonResource, StatisticResource
from portal.imports.registry import Importer, register


def register_core_importers() -> None:
    register(
        Importer(
            "statistik",
            _("Key figures"),
            _(
                "Values of the national key indicators per organisation and year, for example from KB's "
                "library statistics or Kolada. A value that already exists for the same organisation, "
                "indicator and year is updated."
            ),
            StatisticResource,
            "portal.import_statistics",
            order=10,
        )
    )
    register(
        Importer(
            "personer",
            _("People"),
            _(
                "Invites people to the portal with a role in an organisation. Each person gets an e-mail "
                "with a link to set a password when the import is confirmed."
            ),
            PersonResource,
            "portal.import_people",
            order=20,
        )
    )
    register(
        Importer(
            "organisationer",
            _("Organisations' contact details"),
            _(
                "The library organisation's name, website, e-mail address, phone and visiting address per "
                "organisation code. Empty cells leave the current details as they are."
            ),
            OrganisationResource,
            "portal.import_organisations",
            order=40,
        )
    )
