"""What people are told about the review of their work: one Notification per person and
event (the bell and /assessments/notifications/), and whether they also want it by email."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.assessment import Assessment


class Notification(models.Model):
    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned to its authors")
        APPROVED = "approved", _("Approved")
        REOPENED = "reopened", _("Reopened")
        COMMENTED = "commented", _("Commented on")
        CROSSED = "crossed", _("Early-warning threshold crossed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("what happened"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "submitted",
                        "returned",
                        "approved",
                        "reopened",
                        "commented",
                        "crossed",
                    ]
                ),
                name="notification_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.assessment}"


class NotificationSettings(models.Model):
    """A person's choices; without a row, email is on, in the site's default language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email = models.BooleanField(
        _("Also send me an email"),
        default=True,
        help_text=_("Notifications are always on this site; emails only if this is ticked."),
    )
    language = models.CharField(
        _("Language of the emails"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Left empty, emails are in the site's default language."),
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user)
