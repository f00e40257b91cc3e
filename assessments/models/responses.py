"""By what means: the responses (protection, empowerment, solidarity) that answer the
threats, for the groups they serve."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models.analysis import ActorType, Threat
from assessments.models.assessment import Assessment
from assessments.models.groups import PopulationGroup


class Response(models.Model):
    class Strategy(models.TextChoices):
        PROTECTION = "protection", _("Protection")
        EMPOWERMENT = "empowerment", _("Empowerment")
        SOLIDARITY = "solidarity", _("Solidarity")

    class Status(models.TextChoices):
        EXISTING = "existing", _("Existing")
        GAP = "gap", _("Gap")
        RECOMMENDED = "recommended", _("Recommended")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    strategy = models.CharField(_("strategy"), max_length=12, choices=Strategy.choices)
    actor = models.CharField(_("who acts"), max_length=200, blank=True)
    actor_type = models.CharField(
        _("actor type"), max_length=20, choices=ActorType.choices, blank=True
    )
    threats = models.ManyToManyField(
        Threat, related_name="responses", blank=True, verbose_name=_("threats addressed")
    )
    groups = models.ManyToManyField(
        PopulationGroup, related_name="responses", blank=True, verbose_name=_("groups served")
    )
    timeframe = models.CharField(
        _("timeframe"),
        max_length=100,
        blank=True,
        help_text=_("By when, e.g. “before the lean season”."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECOMMENDED
    )
    preventive = models.BooleanField(
        _("preventive"),
        default=False,
        help_text=_("Acts on root causes or before the threat materialises."),
    )
    do_no_harm_risk = models.TextField(
        _("do-no-harm risk"),
        blank=True,
        help_text=_("How this response could feed tension or harm, and how that is limited."),
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "title", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.CheckConstraint(
                condition=Q(strategy__in=["protection", "empowerment", "solidarity"]),
                name="response_strategy_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title
