"""Loading the national register of organisations (KB, 21 regions, 290 municipalities)."""

import csv
from pathlib import Path

from django.db import transaction

from portal.models import Organisation

DATA_DIR = Path(__file__).resolve().parent / "data"
KB_CODE = "KB"
KB_NAME = "Kungliga biblioteket"


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_organisations(organisation_model=None) -> dict[str, int]:
    """Create or update every organisation from the data files. Idempotent.

    Returns how many rows were created and updated. Uses a fixed number of queries.
    """
    organisation_model = organisation_model or Organisation

    wanted: list[dict] = [
        {"kind": "national", "code": KB_CODE, "name": KB_NAME, "county_name": "", "parent_code": None}
    ]
    for row in _read("regions.csv"):
        wanted.append(
            {
                "kind": "region",
                "code": row["code"],
                "name": row["authority_name"],
                "county_name": row["county_name"],
                "parent_code": None,
            }
        )
    for row in _read("municipalities.csv"):
        wanted.append(
            {
                "kind": "municipality",
                "code": row["code"],
                "name": row["name"],
                "county_name": "",
                "parent_code": row["region_code"],
            }
        )

    existing = {org.code: org for org in organisation_model.objects.all()}
    created = updated = 0
    # Parents first: national and regions have no parent, municipalities point at regions.
    for pass_kinds in (("national", "region"), ("municipality",)):
        to_create, to_update = [], []
        for item in (w for w in wanted if w["kind"] in pass_kinds):
            parent = existing[item["parent_code"]] if item["parent_code"] else None
            org = existing.get(item["code"])
            if org is None:
                to_create.append(
                    organisation_model(
                        kind=item["kind"],
                        code=item["code"],
                        name=item["name"],
                        county_name=item["county_name"],
                        parent=parent,
                    )
                )
                continue
            parent_id = parent.pk if parent else None
            if (org.kind, org.name, org.county_name, org.parent_id) != (
                item["kind"],
                item["name"],
                item["county_name"],
                parent_id,
            ):
                org.kind, org.name, org.county_name, org.parent_id = (
                    item["kind"],
                    item["name"],
                    item["county_name"],
                    parent_id,
                )
                to_update.append(org)
        for org in organisation_model.objects.bulk_create(to_create):
            existing[org.code] = org
        if to_update:
            organisation_model.objects.bulk_update(to_update, ["kind", "name", "county_name", "parent"])
        created += len(to_create)
        updated += len(to_update)
    return {"created": created, "updated": updated}


def load_organisations_after_migrate(sender, using="default", apps=None, **kwargs) -> None:
    """post_migrate hook: keep the register loaded after every migrate (and after a flush,
    which sends the signal without the historical `apps`)."""
    if apps is None:
        from django.apps import apps
    try:
        model = apps.get_model("portal", "Organisation")
    except LookupError:
        return
    load_organisations(model)
