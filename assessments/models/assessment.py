"""The assessment and its answers: the rows the pages, the import and the demo write
through the services, with field history on both."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models.teams import Team, team_roles_of


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What a person may open: every assessment of their teams (superusers: all)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        # The person's team ids read once, then a plain `team_id IN (...)`: no join to the
        # memberships and no DISTINCT, so the list's indexes serve its order and filters.
        return self.filter(team_id__in=sorted(team_roles_of(user)))

    def awaiting_review_by(self, user):
        """Submitted work a supervisor may decide on: their teams, never their own."""
        if not user.is_authenticated:
            return self.none()
        qs = self.filter(status=Assessment.Status.SUBMITTED)
        if not user.is_superuser:
            supervised = [t for t, role in team_roles_of(user).items() if role == "supervisor"]
            qs = qs.filter(team_id__in=sorted(supervised))
        authored = Assessment.collaborators.through.objects.filter(
            assessment_id=OuterRef("pk"), user_id=user.pk
        )
        return qs.exclude(owner=user).exclude(Exists(authored))


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    title = models.CharField(_("title"), max_length=200)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("team")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_assessments",
        verbose_name=_("owner"),
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="collaborations",
        blank=True,
        verbose_name=_("collaborators"),
    )
    framework_version = models.ForeignKey(
        "frameworks.FrameworkVersion",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("framework version"),
    )
    country = models.CharField(_("country"), max_length=100)
    area = models.CharField(
        _("area"), max_length=200, blank=True, help_text=_("Region, district or locality in focus.")
    )
    population_focus = models.CharField(
        _("population in focus"),
        max_length=300,
        blank=True,
        help_text=_("The people whose security this assessment is about."),
    )
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    key_points = models.TextField(
        _("key points"),
        blank=True,
        help_text=_("Three short points for the front of the brief, one per line."),
    )
    public_key_points = models.TextField(
        _("public key messages"),
        blank=True,
        help_text=_(
            "Key messages for the public edition, one per line, written without naming "
            "sensitive groups. Left empty, the public edition uses the key points above."
        ),
    )
    # What the analysis is written in (issue 11): the brief is rendered in it by default,
    # and PostgreSQL's search stems its words with this language's configuration.
    language = models.CharField(
        _("language of the analysis"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the team writes this assessment in; its brief uses it."),
    )
    # The approved assessment this one re-assesses (issue 14): deltas are shown against it.
    baseline = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reassessments",
        verbose_name=_("baseline"),
    )
    # The highest threat number ever given: numbers are never reused after a deletion.
    last_threat_number = models.PositiveIntegerField(default=0, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    # Collaborators are in the history too: whoever was ever one may never review it.
    history = HistoricalRecords(
        excluded_fields=["updated_at", "last_threat_number"], m2m_fields=[collaborators]
    )
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "returned", "approved"]),
                name="assessment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="assessment_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="assessment_approved_has_date",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["en", "fr", "es", "ar"]),
                name="assessment_language_known",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "team"]),
            # The list's filters with its order (newest first), so a page of 100,000 reads
            # a page of index entries instead of sorting every visible row.
            models.Index(fields=["-updated_at", "-id"], name="assessment_recent"),
            models.Index(fields=["team", "-updated_at", "-id"], name="assessment_team_recent"),
            models.Index(fields=["status", "-updated_at", "-id"], name="assessment_status_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # The check constraint keeps the rule; this gives the person who broke it (in an
        # import, say) words instead of the constraint's name.
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})

    @property
    def is_editable_status(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def key_point_list(self) -> list[str]:
        return _lines(self.key_points)

    @property
    def public_key_point_list(self) -> list[str]:
        return _lines(self.public_key_points)


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


class Answer(models.Model):
    """The answer to one prompt. `version` grows with each save: a save based on an older
    version is a conflict, shown to the person, never a silent overwrite."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    prompt = models.ForeignKey(
        "frameworks.Prompt", on_delete=models.PROTECT, related_name="answers"
    )
    text = models.TextField(_("answer"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "last_threat_number"])

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "prompt"], name="answer_one_per_prompt"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} / {self.prompt.key}"
