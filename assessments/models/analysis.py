"""From what: threats, their component tags and indicators. For whom (groups) is in
groups.py, by what means (responses) in responses.py."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from assessments.models.assessment import Assessment
from assessments.models.groups import PopulationGroup


class ActorType(models.TextChoices):
    STATE = "state", _("State")
    NON_STATE_ARMED = "non_state_armed", _("Non-state armed actor")
    COMMUNITY = "community", _("Community")
    INTERNATIONAL = "international", _("International or regional body")
    CIVIL_SOCIETY = "civil_society", _("NGO or civil society")
    PRIVATE = "private", _("Private sector")
    NATURAL = "natural", _("Natural or structural (no actor)")
    OTHER = "other", _("Other")


def dimensions_label(primary, further: list) -> str:
    """A threat's dimensions in words, in the reader's language where the framework has
    it: "Political (also Economic, Personal)"."""
    from frameworks.i18n import text as fw_text

    names = [fw_text(d, "name")[0] for d in further if d.pk != primary.pk]
    if not names:
        return fw_text(primary, "name")[0]
    return _("%(primary)s (also %(further)s)") % {
        "primary": fw_text(primary, "name")[0],
        "further": ", ".join(names),
    }


class Threat(models.Model):
    class Trend(models.TextChoices):
        IMPROVING = "improving", _("Improving")
        STABLE = "stable", _("Stable")
        DETERIORATING = "deteriorating", _("Deteriorating")

    class Confidence(models.TextChoices):
        LOW = "low", pgettext_lazy("confidence", "Low")
        MEDIUM = "medium", pgettext_lazy("confidence", "Medium")
        HIGH = "high", pgettext_lazy("confidence", "High")

    class Basis(models.TextChoices):
        PERCEIVED = "perceived", _("Perceived (people's own account)")
        OBSERVED = "observed", _("Observed (data or monitoring)")
        BOTH = "both", _("Both perceived and observed")

    class Onset(models.TextChoices):
        CHRONIC = "chronic", _("Chronic")
        SUDDEN = "sudden", _("Sudden")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="threats")
    # T1, T2 …: given once at creation by threat_save, kept on every page, export and
    # edition, never reused after a deletion.
    number = models.PositiveIntegerField(_("number"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    dimension = models.ForeignKey(
        "frameworks.Dimension",
        on_delete=models.PROTECT,
        related_name="threats",
        verbose_name=_("dimension"),
    )
    # Other dimensions the threat also touches (a drought is economic, food and health):
    # counted in the component map and the lens check beside the primary one.
    further_dimensions = models.ManyToManyField(
        "frameworks.Dimension",
        related_name="further_threats",
        blank=True,
        verbose_name=_("further dimensions"),
        help_text=_("Other dimensions this threat also touches, besides the primary one."),
    )
    source_actor = models.CharField(
        _("source or actor"),
        max_length=200,
        blank=True,
        help_text=_("Who or what the threat comes from. The state can be one."),
    )
    actor_type = models.CharField(
        _("actor type"), max_length=20, choices=ActorType.choices, blank=True
    )
    affected_groups = models.ManyToManyField(
        PopulationGroup, related_name="threats", blank=True, verbose_name=_("affected groups")
    )
    likelihood = models.PositiveSmallIntegerField(_("likelihood"))
    severity = models.PositiveSmallIntegerField(_("severity"))
    urgency = models.PositiveSmallIntegerField(_("urgency"))
    trend = models.CharField(_("trend"), max_length=16, choices=Trend.choices, default=Trend.STABLE)
    confidence = models.CharField(
        _("confidence"), max_length=8, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    basis = models.CharField(
        _("perceived or observed"), max_length=10, choices=Basis.choices, default=Basis.OBSERVED
    )
    onset = models.CharField(_("onset"), max_length=8, choices=Onset.choices, default=Onset.CHRONIC)
    root_causes = models.TextField(_("root causes"), blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-severity", "-likelihood", "title", "id"]
        verbose_name = _("threat")
        verbose_name_plural = _("threats")
        indexes = [
            # The list's dimension filter probes this per assessment, from the index alone.
            models.Index(fields=["assessment", "dimension"], name="threat_assessment_dimension"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="threat_unique_number"),
            # The exact upper bound comes from the pinned framework's scale (checked in
            # forms and services); the database keeps values in a sane range.
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=10)
                & Q(severity__gte=1, severity__lte=10)
                & Q(urgency__gte=1, urgency__lte=10),
                name="threat_scores_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ref(self) -> str:
        return f"T{self.number}"

    @property
    def risk_score(self) -> int:
        return self.likelihood * self.severity

    @property
    def dimension_ids(self) -> set[int]:
        """The primary dimension and the further ones (prefetch further_dimensions)."""
        return {self.dimension_id, *(d.pk for d in self.further_dimensions.all())}

    @property
    def dimensions_label(self) -> str:
        """ "Political (also Economic, Personal)", or the primary dimension alone."""
        return dimensions_label(self.dimension, list(self.further_dimensions.all()))


class ComponentTag(models.Model):
    """Why a threat matters for one of the four lens components."""

    threat = models.ForeignKey(Threat, on_delete=models.CASCADE, related_name="tags")
    component = models.ForeignKey(
        "frameworks.Component", on_delete=models.PROTECT, related_name="tags"
    )
    rationale = models.TextField(_("rationale"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["component__order"]
        verbose_name = _("component tag")
        verbose_name_plural = _("component tags")
        constraints = [
            models.UniqueConstraint(fields=["threat", "component"], name="tag_one_per_component"),
            models.CheckConstraint(condition=~Q(rationale=""), name="tag_has_rationale"),
        ]

    def __str__(self) -> str:
        return f"{self.threat} – {self.component}"


class ThresholdKind(models.TextChoices):
    NONE = "none", _("None (no machine-readable threshold)")
    ABOVE = "above", _("Above a number")
    BELOW = "below", _("Below a number")
    LEVEL = "level", _("At or above a level")
    OCCURRENCE = "occurrence", _("Any occurrence")


class Indicator(models.Model):
    ThresholdKind = ThresholdKind

    class Kind(models.TextChoices):
        STRUCTURAL = "structural", _("Structural")
        PROXIMATE = "proximate", _("Proximate")
        TRIGGER = "trigger", _("Trigger")

    threat = models.ForeignKey(Threat, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.PROXIMATE)
    baseline = models.CharField(_("baseline"), max_length=200, blank=True)
    threshold = models.CharField(_("alert threshold"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    frequency = models.CharField(_("frequency"), max_length=100, blank=True)
    # Machine-readable threshold and frequency (issue 14); the free texts above stay.
    threshold_kind = models.CharField(
        _("threshold kind"),
        max_length=12,
        choices=ThresholdKind.choices,
        default=ThresholdKind.NONE,
        help_text=_("How readings are compared with the threshold."),
    )
    threshold_value = models.DecimalField(
        _("threshold value"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("The number, or for a level the level's position in the list (1 = first)."),
    )
    levels = models.TextField(
        _("levels"),
        blank=True,
        help_text=_("For a level indicator: the ordered levels, one per line, lowest first."),
    )
    frequency_days = models.PositiveSmallIntegerField(
        _("reading every (days)"),
        null=True,
        blank=True,
        help_text=_("A reading is overdue when none came in this many days."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        kind = self.threshold_kind
        needs_value = (ThresholdKind.ABOVE, ThresholdKind.BELOW, ThresholdKind.LEVEL)
        if kind in needs_value and self.threshold_value is None:
            errors["threshold_value"] = _("This kind of threshold needs a value.")
        if kind == ThresholdKind.LEVEL:
            count = len(self.level_list)
            if count < 2:
                errors["levels"] = _("List at least two levels, one per line, lowest first.")
            elif self.threshold_value is not None and (
                self.threshold_value != int(self.threshold_value)
                or not 1 <= self.threshold_value <= count
            ):
                errors["threshold_value"] = _(
                    "For a level, give the level's position in the list, from 1 to %(count)s."
                ) % {"count": count}
        if errors:
            raise ValidationError(errors)

    @property
    def level_list(self) -> list[str]:
        return [line.strip() for line in self.levels.splitlines() if line.strip()]
