"""Monitoring over time: the readings of an early-warning indicator.

An indicator's threshold is machine-readable where it can be (`Indicator.threshold_kind`
and `threshold_value`, next to the free-text `threshold`); a reading holds a number, a
level or a yes/no event according to that kind. Readings are monitoring, not analysis:
they are recorded on approved assessments too, without reopening them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models.analysis import Indicator


class Reading(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="readings")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    occurred = models.BooleanField(_("occurred"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    # The status the reading had against the threshold in force when it was recorded:
    # a later change of threshold does not rewrite what was announced.
    crossed = models.BooleanField(_("crossed the threshold"), default=False, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "date"]
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "date"], name="reading_one_per_date"),
            models.CheckConstraint(
                condition=Q(value__isnull=False)
                | Q(level__isnull=False)
                | Q(occurred__isnull=False),
                name="reading_has_value",
            ),
        ]
        indexes = [models.Index(fields=["crossed", "date"])]

    def __str__(self) -> str:
        return f"{self.indicator} – {self.date}"
