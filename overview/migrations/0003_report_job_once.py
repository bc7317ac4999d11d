"""One report job per kind and fingerprint that has not failed (simultaneous requests made one
job each). Duplicates made before the constraint are kept, marked as failed, except one per
fingerprint: the finished one if there is one, else the newest."""

from django.db import migrations, models
from django.utils import timezone

FAILED = "failed"


def fail_duplicates(apps, schema_editor):
    report_job = apps.get_model("overview", "ReportJob")
    kept: set[tuple[str, str]] = set()
    jobs = report_job.objects.exclude(status=FAILED).order_by(
        models.Case(models.When(status="done", then=0), default=1), "-created_at", "-pk"
    )
    duplicates = []
    for pk, kind, fingerprint in jobs.values_list("pk", "kind", "fingerprint"):
        if (kind, fingerprint) in kept:
            duplicates.append(pk)
        kept.add((kind, fingerprint))
    report_job.objects.filter(pk__in=duplicates).update(
        status=FAILED, error="duplicate", finished_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("overview", "0002_report_tasks_moved"),
    ]

    operations = [
        migrations.RunPython(fail_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="reportjob",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "failed"), _negated=True),
                fields=("kind", "fingerprint"),
                name="report_job_once",
            ),
        ),
    ]
