"""A move of an assessment to another framework version, kept so it can be undone."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.assessment import Assessment


class VersionMove(models.Model):
    """An assessment moved from one framework version to a newer one.

    `mapping` records every pointer the move changed, as {"answers": {id: [old prompt id,
    new prompt id]}, "threats": {id: [old dimension id, new]}, "tags": {id: [old component
    id, new]}, "comments": {id: [old section id, new]}}, so that an undo puts back exactly
    what was there. Nothing is deleted by a move: an answer to a prompt the new version
    removed keeps pointing at the old prompt (PROTECT keeps it alive).
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="version_moves"
    )
    from_version = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="+"
    )
    to_version = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("moved at"), auto_now_add=True)
    mapping = models.JSONField(default=dict)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("version move")
        verbose_name_plural = _("version moves")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_version=models.F("to_version")),
                name="versionmove_changes_version",
            ),
            models.CheckConstraint(
                condition=Q(undone_at__isnull=True, undone_by__isnull=True)
                | Q(undone_at__isnull=False, undone_by__isnull=False),
                name="versionmove_undo_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} v{self.from_version_id} → v{self.to_version_id}"
