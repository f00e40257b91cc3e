"""For whom: population groups, with their ages as free ranges (the standard
humanitarian bands are quick choices)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models.assessment import Assessment

AGE_MAX = 120
# The standard humanitarian age bands, offered as quick choices beside the free range.
STANDARD_AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 5),
    (6, 12),
    (13, 17),
    (18, 49),
    (50, 59),
    (60, 69),
    (70, 79),
    (80, None),
)
# The fixed bands groups had before ages became ranges (migration 0016), by their stored
# value: older export documents still carry them, and the import reads them this way.
LEGACY_AGE_BANDS: dict[str, tuple[int | None, int | None]] = {
    "all": (None, None),
    **{(f"{a}-{b}" if b is not None else f"{a}+"): (a, b) for a, b in STANDARD_AGE_BANDS},
    "children": (0, 17),
    "adults": (18, 59),
    "older": (60, None),
}


def age_range_label(age_from: int | None, age_to: int | None) -> str:
    if age_from is None:
        return str(_("All ages"))
    if age_to is None:
        return f"{age_from}+"
    return f"{age_from}–{age_to}"


class PopulationGroup(models.Model):
    class Sex(models.TextChoices):
        ALL = "all", _("All")
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other or not stated")

    class Disability(models.TextChoices):
        NOT_STATED = "", _("Not stated")
        WITH = "with", _("Persons with disabilities")
        WITHOUT = "without", _("Persons without disabilities")
        MIXED = "mixed", _("Mixed")

    class Displacement(models.TextChoices):
        NOT_STATED = "", _("Not stated")
        IDP = "idp", _("Internally displaced")
        REFUGEE = "refugee", _("Refugee")
        RETURNEE = "returnee", _("Returnee")
        HOST = "host", _("Host community")
        NON_DISPLACED = "non_displaced", _("Not displaced")
        MIXED = "mixed", _("Mixed")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.ALL)
    # An age range in years: both empty is all ages, no upper age is "and over" (80+).
    age_from = models.PositiveSmallIntegerField(
        _("from age"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(AGE_MAX)],
        help_text=_("Leave both ages empty for all ages."),
    )
    age_to = models.PositiveSmallIntegerField(
        _("to age"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(AGE_MAX)],
        help_text=_("Leave empty for “and over”."),
    )
    disability = models.CharField(
        _("disability"), max_length=8, choices=Disability.choices, blank=True, default=""
    )
    displacement_status = models.CharField(
        _("displacement status"),
        max_length=16,
        choices=Displacement.choices,
        blank=True,
        default="",
    )
    ethnicity = models.CharField(_("ethnicity"), max_length=120, blank=True)
    religion = models.CharField(_("religion"), max_length=120, blank=True)
    other_characteristics = models.CharField(
        _("other characteristics"),
        max_length=300,
        blank=True,
        help_text=_("Class or income, gender identity, nationality, urban or rural …"),
    )
    estimated_size = models.PositiveIntegerField(_("estimated size"), null=True, blank=True)
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Naming this group could put people at risk: it is left out of public briefs."),
    )
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_(
            "Other names, spellings or short forms of a sensitive group, one per line. "
            "The public edition is refused while any of them appears in its text."
        ),
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("population group")
        verbose_name_plural = _("population groups")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "name"], name="group_unique_name"),
            models.CheckConstraint(
                condition=(Q(age_from__isnull=True) | Q(age_from__lte=AGE_MAX))
                & (
                    Q(age_to__isnull=True)
                    | Q(age_from__isnull=False, age_from__lte=F("age_to"), age_to__lte=AGE_MAX)
                ),
                name="group_age_range_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.age_to is not None and self.age_from is None:
            raise ValidationError({"age_from": _("Give the lowest age too (0 for “from birth”).")})
        if self.age_to is not None and self.age_from is not None and self.age_from > self.age_to:
            raise ValidationError(
                {
                    "age_to": _(
                        "The highest age (%(to)d) is below the lowest (%(from)d): "
                        "give the range from the youngest to the oldest."
                    )
                    % {"to": self.age_to, "from": self.age_from}
                }
            )

    @property
    def age_range(self) -> str:
        """The ages as pages, briefs and exports show them: "15–29", "80+", "All ages"."""
        return age_range_label(self.age_from, self.age_to)

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def is_disaggregated(self) -> bool:
        return bool(
            self.sex != self.Sex.ALL
            or self.age_from is not None
            or self.disability
            or self.displacement_status
            or self.ethnicity
            or self.religion
            or self.other_characteristics
        )
