"""The report jobs move from the core (portal) to the top layer. The table stays where it is
(`portal_reportjob`, with its index): this migration only tells Django that the model now
belongs here; `portal.0007_reportjob_moved_to_overview` removes it from the core's state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("portal", "0006_import_batch_labels"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReportJob",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=32)),
                        ("parameters", models.JSONField(default=dict)),
                        ("fingerprint", models.CharField(max_length=64)),
                        ("data", models.JSONField(default=dict)),
                        ("status", models.CharField(choices=[("queued", "Queued"), ("running", "Being produced"), ("done", "Ready"), ("failed", "Failed")], default="queued", max_length=16)),
                        ("progress", models.PositiveSmallIntegerField(default=0)),
                        ("step", models.CharField(blank=True, max_length=200)),
                        ("pdf", models.FileField(blank=True, upload_to="reports/%Y/")),
                        ("xlsx", models.FileField(blank=True, upload_to="reports/%Y/")),
                        ("page_count", models.PositiveIntegerField(default=0)),
                        ("error", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("requested_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "report",
                        "verbose_name_plural": "reports",
                        "ordering": ["-created_at"],
                        "db_table": "portal_reportjob",
                        "indexes": [models.Index(fields=["kind", "fingerprint"], name="portal_repo_kind_55ab8f_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
