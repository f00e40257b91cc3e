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


# What a thread can be about besides a section (an answer is its prompt, with the section).
COMMENT_TARGETS = ("prompt", "group", "threat", "response", "source")


def _at_most_one_target() -> Q:
    condition = Q()
    for i, first in enumerate(COMMENT_TARGETS):
        for second in COMMENT_TARGETS[i + 1 :]:
            condition &= ~Q(**{f"{first}__isnull": False, f"{second}__isnull": False})
    return condition


def _reply_without_target() -> Q:
    untargeted = Q(section__isnull=True, resolved_at__isnull=True)
    for name in COMMENT_TARGETS:
        untargeted &= Q(**{f"{name}__isnull": True})
    return Q(parent__isnull=True) | untargeted


class Comment(models.Model):
    """A thread root (a reviewer's remark on the assessment, a section, an answer or an
    item) or a reply to one (`parent`). Replies carry no target and are never resolved
    themselves: the thread is."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        "frameworks.Section",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("section"),
    )
    # An item's thread outlives the item (SET_NULL): the conversation stays on record.
    prompt = models.ForeignKey(
        "frameworks.Prompt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answer to"),
    )
    group = models.ForeignKey(
        "assessments.PopulationGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("population group"),
    )
    threat = models.ForeignKey(
        "assessments.Threat",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("threat"),
    )
    response = models.ForeignKey(
        "assessments.Response",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("response"),
    )
    source = models.ForeignKey(
        "assessments.Source",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("source"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
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
            models.CheckConstraint(condition=_at_most_one_target(), name="comment_one_target"),
            models.CheckConstraint(
                condition=_reply_without_target(), name="comment_reply_untargeted"
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
