"""Background work a person asked for and waits on (assessments/jobs/ runs it).

The task engine (Django's Tasks API) only carries a job's id: this row is the truth about
the job, whichever engine runs it, and the page a person follows it on reads it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models.assessment import Assessment
from assessments.models.review import ReviewEvent


class Job(models.Model):
    class Kind(models.TextChoices):
        BRIEF = "brief", _("Brief")
        FREEZE = "freeze", _("Approved brief")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    FINISHED_STATUSES = (Status.DONE, Status.FAILED)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Empty for work that spans assessments (batch exports).
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the work needs besides the assessment (variant, language …), as plain JSON.
    params = models.JSONField(default=dict, blank=True)
    # A freeze: the approval it freezes and the JSON snapshot of exactly what was
    # approved, recorded in the approval's own transaction.
    approval = models.OneToOneField(
        ReviewEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="freeze_job"
    )
    snapshot = models.TextField(blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # Starts since a person last asked for it (creation or retry).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The task engine's id of the latest enqueue (opaque, up to 64 characters).
    task_result_id = models.CharField(max_length=64, blank=True)
    # While running: the worker renews this; past it, the worker is taken for dead.
    lease_until = models.DateTimeField(null=True, blank=True)
    # Shown to people as it is: already translated, never a traceback.
    error = models.TextField(_("error"), blank=True)
    result = models.BinaryField(null=True, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)

    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["status", "lease_until"], name="job_status_lease_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="job_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="running") | Q(lease_until__isnull=False),
                name="job_running_has_lease",
            ),
            models.CheckConstraint(
                condition=Q(kind="freeze", approval__isnull=False)
                | (~Q(kind="freeze") & Q(approval__isnull=True)),
                name="job_freeze_has_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED_STATUSES
