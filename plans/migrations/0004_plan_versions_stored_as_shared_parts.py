"""Plan versions no longer store the whole plan each time: sections, goals and focus areas are
stored once per plan as PlanVersionPart rows (found again by their SHA-256), and a version's
`content` (the former `snapshot` column) refers to them by id. Existing versions are converted,
oldest first, and converted back when the migration is reversed.

The conversion is written out here rather than imported from plans.models, so that this
migration keeps doing what it does now if the model code changes later.
"""

import hashlib
import json

import django.db.models.deletion
from django.db import migrations, models

NESTED = {"sections": None, "focus_areas": "goals"}
CHUNK = 500


def _digest(data) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _ids(Part, plan_id, number, items, known):
    """Ids of parts holding `items`; `known` maps the plan's digests to ids seen so far."""
    digests = [_digest(item) for item in items]
    new = {}
    for digest, item in zip(digests, items, strict=True):
        if digest not in known and digest not in new:
            new[digest] = Part(plan_id=plan_id, digest=digest, data=item, introduced_in=number)
    if new:
        Part.objects.bulk_create(new.values(), batch_size=CHUNK)
        wanted = list(new)
        for start in range(0, len(wanted), CHUNK):
            known.update(
                Part.objects.filter(plan_id=plan_id, digest__in=wanted[start : start + CHUNK]).values_list(
                    "digest", "pk"
                )
            )
    return [known[digest] for digest in digests]


def split_versions(apps, schema_editor):
    PlanVersion = apps.get_model("plans", "PlanVersion")
    Part = apps.get_model("plans", "PlanVersionPart")
    plan_ids = PlanVersion.objects.values_list("plan_id", flat=True).distinct().order_by("plan_id")
    for plan_id in list(plan_ids):
        known: dict[str, int] = {}
        for version in PlanVersion.objects.filter(plan_id=plan_id).order_by("number").iterator():
            snapshot = version.content
            if any(isinstance(ref, int) for key in NESTED for ref in snapshot.get(key, [])):
                continue  # already split
            content = dict(snapshot)
            for key, inner in NESTED.items():
                items = [dict(item) for item in snapshot.get(key, [])]
                if inner:
                    for item in items:
                        item[inner] = _ids(Part, plan_id, version.number, item.get(inner, []), known)
                content[key] = _ids(Part, plan_id, version.number, items, known)
            version.content = content
            version.save(update_fields=["content"])


def join_versions(apps, schema_editor):
    PlanVersion = apps.get_model("plans", "PlanVersion")
    Part = apps.get_model("plans", "PlanVersionPart")
    for version in PlanVersion.objects.order_by("plan_id", "number").iterator():
        content = version.content
        refs = [ref for key in NESTED for ref in content.get(key, []) if isinstance(ref, int)]
        parts = dict(Part.objects.filter(pk__in=refs).values_list("pk", "data"))
        inner = [
            ref
            for key, nested in NESTED.items()
            if nested
            for top in content.get(key, [])
            for ref in (parts[top] if isinstance(top, int) else top)[nested]
            if isinstance(ref, int)
        ]
        parts.update(Part.objects.filter(pk__in=inner).values_list("pk", "data"))
        snapshot = dict(content)
        for key, nested in NESTED.items():
            items = [dict(parts[ref]) if isinstance(ref, int) else ref for ref in content.get(key, [])]
            if nested:
                for item in items:
                    item[nested] = [parts[ref] if isinstance(ref, int) else ref for ref in item[nested]]
            snapshot[key] = items
        version.content = snapshot
        version.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_attachment_document_path"),
    ]

    operations = [
        migrations.CreateModel(
            name="PlanVersionPart",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("digest", models.CharField(max_length=64)),
                ("data", models.JSONField()),
                ("introduced_in", models.PositiveIntegerField()),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="plans.plan"
                    ),
                ),
            ],
            options={
                "verbose_name": "part of a plan version",
                "verbose_name_plural": "parts of plan versions",
                "constraints": [
                    models.UniqueConstraint(fields=("plan", "digest"), name="plan_version_part_digest_unique")
                ],
            },
        ),
        migrations.RenameField(model_name="planversion", old_name="snapshot", new_name="content"),
        migrations.RunPython(split_versions, join_versions, elidable=False),
    ]
