"""The import kinds offered on the import page, and who may use each."""

from __future__ import annotations

from dataclasses import dataclass

from portal.rules import can


@dataclass(frozen=True)
class Importer:
    kind: str  # also the URL slug
    title: str
    description: str
    resource_class: type  # a FormRowResource
    permission: str
    order: int = 100  # position on the import page

    @property
    def columns(self):
        return self.resource_class.columns

    def allowed_values(self):
        return self.resource_class.allowed_values()

    def may_use(self, user) -> bool:
        return can(user, self.permission)


# Filled by the apps in their AppConfig.ready(): the core registers its own kinds, each
# feature app its own (calendar_app: events). The core never names a feature app's resource.
BY_KIND: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    """Offer an import kind on the import page (idempotent: the same kind replaces itself)."""
    BY_KIND[importer.kind] = importer


def importers() -> list[Importer]:
    return sorted(BY_KIND.values(), key=lambda importer: (importer.order, importer.kind))


def importers_for(user) -> list[Importer]:
    return [importer for importer in importers() if importer.may_use(user)]
