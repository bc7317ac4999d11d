from django.tasks import task


@task()
def build_report(job_id: int) -> None:
    """Background: render a report job's PDF and XLSX (progress is kept on the job)."""
    from portal.reports.services import build

    build(job_id)
