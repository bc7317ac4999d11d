"""The top layer's own record: report jobs (what was produced, from which data, how far)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportJob(models.Model):
    """One produced report (PDF + XLSX) for a kind and parameters, built in the background.

    `fingerprint` is a hash of the report's scope and data: a request for the same data reuses
    the job (the cache; at most one job per fingerprint has not failed), and new data gives a new
    job. `data` keeps exactly what was rendered.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("report status", "Queued")
        RUNNING = "running", pgettext_lazy("report status", "Being produced")
        DONE = "done", pgettext_lazy("report status", "Ready")
        FAILED = "failed", pgettext_lazy("report status", "Failed")

    kind = models.CharField(max_length=32)
    parameters = models.JSONField(default=dict)
    fingerprint = models.CharField(max_length=64)
    data = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    pdf = models.FileField(upload_to="reports/%Y/", blank=True)
    xlsx = models.FileField(upload_to="reports/%Y/", blank=True)
    page_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        db_table = "portal_reportjob"  # created by the core before the reports moved here
        indexes = [models.Index(fields=["kind", "fingerprint"], name="portal_repo_kind_55ab8f_idx")]
        constraints = [
            # Simultaneous requests for the same report make one job, not one each; a failed job
            # does not count, so the report can be asked for again.
            models.UniqueConstraint(
                fields=["kind", "fingerprint"],
                condition=~models.Q(status="failed"),
                name="report_job_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.parameters} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
