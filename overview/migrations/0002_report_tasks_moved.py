"""Report tasks queued before the reports moved to the top layer point at their old module;
point them at the new one, so a worker can still run them after the deploy. The old content type
of report jobs becomes the new one (its permissions go with it)."""

from django.db import migrations

OLD_TASK = "portal.reports.tasks.build_report"
NEW_TASK = "overview.reports.tasks.build_report"


def forwards(apps, schema_editor):
    try:
        task_result = apps.get_model("django_tasks_database", "DBTaskResult")
    except LookupError:
        task_result = None
    if task_result is not None:
        task_result.objects.filter(task_path=OLD_TASK).update(task_path=NEW_TASK)
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="overview", model="reportjob").exists():
        content_type.objects.filter(app_label="portal", model="reportjob").update(app_label="overview")


def backwards(apps, schema_editor):
    try:
        task_result = apps.get_model("django_tasks_database", "DBTaskResult")
    except LookupError:
        return
    task_result.objects.filter(task_path=NEW_TASK).update(task_path=OLD_TASK)


class Migration(migrations.Migration):
    dependencies = [
        ("overview", "0001_initial"),
        ("portal", "0007_reportjob_moved_to_overview"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
