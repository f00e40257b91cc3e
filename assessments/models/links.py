"""The log of many-to-many links changed: a threat's affected groups and further
dimensions, a response's threats and groups. The field history (django-simple-history)
does not keep links, so the content's services append a row here for each link added or
removed; the changes page (review/changes.py) undoes the rows after the last return to
see the links as they were. Never updated, never deleted but with the assessment."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models.assessment import Assessment


class LinkChange(models.Model):
    class Relation(models.TextChoices):
        THREAT_GROUPS = "threat_groups", _("threat's affected groups")
        THREAT_DIMENSIONS = "threat_dimensions", _("threat's further dimensions")
        RESPONSE_THREATS = "response_threats", _("response's threats addressed")
        RESPONSE_GROUPS = "response_groups", _("response's groups served")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="link_changes"
    )
    relation = models.CharField(_("link"), max_length=20, choices=Relation.choices)
    # Plain ids, not keys: the log outlives the threat, response, group or dimension.
    item_id = models.PositiveBigIntegerField(_("threat or response"))
    other_id = models.PositiveBigIntegerField(_("linked to"))
    added = models.BooleanField(_("added"), help_text=_("Added, else removed."))
    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("link change")
        verbose_name_plural = _("link changes")
        indexes = [
            # The changes page reads an assessment's rows after its last return.
            models.Index(fields=["assessment", "at"], name="linkchange_assessment_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    relation__in=[
                        "threat_groups",
                        "threat_dimensions",
                        "response_threats",
                        "response_groups",
                    ]
                ),
                name="linkchange_relation_valid",
            ),
        ]

    def __str__(self) -> str:
        sign = "+" if self.added else "−"
        return f"{self.get_relation_display()} {self.item_id} {sign}{self.other_id}"
