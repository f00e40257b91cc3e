"""The framework an assessment is answered with, in immutable published versions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    citation = models.TextField(_("citation"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self) -> str:
        return self.name


class FrameworkVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=FrameworkVersion.Status.PUBLISHED)


class FrameworkVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="versions", verbose_name=_("framework")
    )
    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # The language of the text fields of the version's items; the other languages are in
    # each item's `translations`. Fixed when the version is created (import or new draft).
    language = models.CharField(
        _("default language"), max_length=12, choices=settings.LANGUAGES, default="en"
    )
    changelog = models.TextField(_("changelog"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["framework__name", "-number"]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="frameworkversion_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="frameworkversion_number_positive"
            ),
            # A version that was ever published carries the moment it was frozen.
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="frameworkversion_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="frameworkversion_language_known",
            ),
            # One open draft per framework: two drafts would be two rival next versions.
            models.UniqueConstraint(
                fields=["framework"],
                condition=Q(status="draft"),
                name="frameworkversion_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework.name} v{self.number} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Section(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("key"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    guidance = models.TextField(_("guidance"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    # Text in the version's other languages: {"fr": {"title": "…", "guidance": "…"}}.
    # Read through frameworks.i18n, which falls back to the fields above.
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="section_unique_key"),
        ]

    def __str__(self) -> str:
        return self.title


class Prompt(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="prompts")
    key = models.SlugField(_("key"), max_length=64)
    text = models.TextField(_("prompt"))
    help = models.TextField(_("help text"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    required = models.BooleanField(_("required"), default=False)
    # Text in the version's other languages: {"fr": {"title": "…", "guidance": "…"}}.
    # Read through frameworks.i18n, which falls back to the fields above.
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["section__order", "order", "id"]
        verbose_name = _("prompt")
        verbose_name_plural = _("prompts")
        constraints = [
            models.UniqueConstraint(fields=["section", "key"], name="prompt_unique_key"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Component(models.Model):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="components"
    )
    key = models.SlugField(_("key"), max_length=64)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    # Text in the version's other languages: {"fr": {"title": "…", "guidance": "…"}}.
    # Read through frameworks.i18n, which falls back to the fields above.
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("component")
        verbose_name_plural = _("components")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="component_unique_key"),
        ]

    def __str__(self) -> str:
        return self.name


class Dimension(models.Model):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="dimensions"
    )
    key = models.SlugField(_("key"), max_length=64)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    # One example threat per line; kept as text so the admin edits it as a plain box.
    examples = models.TextField(_("example threats"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    # Text in the version's other languages: {"fr": {"title": "…", "guidance": "…"}}.
    # Read through frameworks.i18n, which falls back to the fields above.
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="dimension_unique_key"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def example_list(self) -> list[str]:
        return [line.strip() for line in self.examples.splitlines() if line.strip()]


class ScaleLevel(models.Model):
    class Scale(models.TextChoices):
        LIKELIHOOD = "likelihood", _("Likelihood")
        SEVERITY = "severity", _("Severity")
        URGENCY = "urgency", _("Urgency")

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="scale_levels"
    )
    scale = models.CharField(_("scale"), max_length=12, choices=Scale.choices)
    value = models.PositiveSmallIntegerField(_("value"))
    label = models.CharField(_("label"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    # Text in the version's other languages: {"fr": {"title": "…", "guidance": "…"}}.
    # Read through frameworks.i18n, which falls back to the fields above.
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["scale", "value"]
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "scale", "value"], name="scalelevel_unique_value"
            ),
            models.CheckConstraint(condition=Q(value__gte=1), name="scalelevel_value_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_scale_display()} {self.value}: {self.label}"
