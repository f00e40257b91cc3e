"""The review trail (events), comments, and the briefs that approval freezes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.assessment import Assessment


class ReviewEvent(models.Model):
    """One move of the review workflow; the list of them is the assessment's trail."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        COMMENTED = "commented", _("Commented")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        REOPENED = "reopened", _("Reopened")
        MOVED = "moved", _("Moved to a newer framework version")
        MOVE_UNDONE = "move_undone", _("Move to a newer framework version undone")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="review_events"
    )
    kind = models.CharField(_("event"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "submitted",
                        "commented",
                        "returned",
                        "approved",
                        "reopened",
                        "moved",
                        "move_undone",
                    ]
                ),
                name="reviewevent_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.actor}"


class Comment(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        "frameworks.Section",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("section"),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="comment_not_empty"),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolved_by__isnull=True)
                | Q(resolved_at__isnull=False, resolved_by__isnull=False),
                name="comment_resolution_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class FrozenBrief(models.Model):
    """What approval froze: the rendered PDF and a JSON snapshot, with their SHA-256 and a
    signature."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="frozen_briefs"
    )
    approval = models.OneToOneField(ReviewEvent, on_delete=models.PROTECT, related_name="brief")
    pdf = models.BinaryField()
    snapshot = models.TextField()
    pdf_sha256 = models.CharField(max_length=64)
    snapshot_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    # HMAC over the hashes and the fields above, with a key kept out of the database
    # (assessments/review/freeze.py). NULL: frozen before briefs were signed.
    signature = models.CharField(max_length=100, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        verbose_name = _("frozen brief")
        verbose_name_plural = _("frozen briefs")

    def __str__(self) -> str:
        return f"{self.assessment} ({self.created_at:%Y-%m-%d})"
