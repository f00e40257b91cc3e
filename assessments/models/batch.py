"""A batch export: one team's approved briefs of a period in a ZIP, built in the background.

The ZIP is kept in the database, like the frozen briefs it is made of, so every app
server can serve it without a shared disk."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from assessments.models.teams import Membership, Team


class BatchExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The exports of the teams this person supervises (superusers: all)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            team__memberships__user=user, team__memberships__role=Membership.Role.SUPERVISOR
        )


class BatchExport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="batch_exports", verbose_name=_("team")
    )
    # An export outlives the account that asked for it: the team's supervisors still see it.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    period_from = models.DateField(_("approved from"))
    period_to = models.DateField(_("approved until"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    briefs_total = models.PositiveIntegerField(default=0)
    briefs_done = models.PositiveIntegerField(default=0)
    archive = models.BinaryField(null=True, editable=False)
    archive_sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = BatchExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("batch export")
        verbose_name_plural = _("batch exports")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_from__lte=F("period_to")), name="batchexport_period_forwards"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="batchexport_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(archive__isnull=False),
                name="batchexport_done_has_archive",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""),
                name="batchexport_failure_says_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.period_from}–{self.period_to} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
