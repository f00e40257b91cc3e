"""Evidence: the sources an assessment rests on (with their grading and an optional file),
people's own words (quotes, with consent) and the citations that tie threats, responses,
indicators and answers to sources.

Citations are declared here, on the source, so the analysis models stay as they are;
`threat.sources`, `response.sources`, `indicator.sources` and `answer.sources` read them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models.analysis import Indicator, Threat
from assessments.models.assessment import Answer, Assessment
from assessments.models.groups import PopulationGroup
from assessments.models.responses import Response


class Source(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        REPORT = "report", _("Report")
        INTERVIEW = "interview", _("Key-informant interview")
        FOCUS_GROUP = "focus_group", _("Focus-group discussion")
        SURVEY = "survey", _("Survey")
        OBSERVATION = "observation", _("Observation")
        MEDIA = "media", _("Media")
        OTHER = "other", _("Other")

    # The usual two-part grading (the "Admiralty" scale): how far the source has proved
    # reliable, and how far this information is borne out by others.
    class Reliability(models.TextChoices):
        A = "A", _("A – Completely reliable")
        B = "B", _("B – Usually reliable")
        C = "C", _("C – Fairly reliable")
        D = "D", _("D – Not usually reliable")
        E = "E", _("E – Unreliable")
        F = "F", _("F – Reliability cannot be judged")

    class Credibility(models.IntegerChoices):
        CONFIRMED = 1, _("1 – Confirmed by other sources")
        PROBABLE = 2, _("2 – Probably true")
        POSSIBLE = 3, _("3 – Possibly true")
        DOUBTFUL = 4, _("4 – Doubtful")
        IMPROBABLE = 5, _("5 – Improbable")
        UNKNOWN = 6, _("6 – Truth cannot be judged")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="sources")
    # S1, S2 …: given once by source_save, never reused after a deletion (the history
    # remembers deleted numbers), like the threats' T-numbers.
    number = models.PositiveIntegerField(_("number"), editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DOCUMENT)
    title = models.CharField(_("title or description"), max_length=300)
    date = models.DateField(_("date"), null=True, blank=True)
    author = models.CharField(_("author or organisation"), max_length=200, blank=True)
    citation = models.TextField(
        _("link or citation"),
        blank=True,
        help_text=_("A web address, or where the document can be found."),
    )
    reliability = models.CharField(
        _("reliability of the source"),
        max_length=1,
        choices=Reliability.choices,
        default=Reliability.F,
    )
    credibility = models.PositiveSmallIntegerField(
        _("credibility of the information"),
        choices=Credibility.choices,
        default=Credibility.UNKNOWN,
    )
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "Could identify or endanger someone: left out of the public edition. Interviews "
            "with a named person are sensitive by default."
        ),
    )
    # The file lives in the app's storage under a name of ours; the person's file name is
    # kept apart, for the download, and never used as a path.
    file = models.FileField(_("file"), upload_to="evidence/", blank=True, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_type = models.CharField(_("file type"), max_length=60, blank=True)
    file_size = models.PositiveIntegerField(_("file size"), null=True, blank=True)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)

    threats = models.ManyToManyField(Threat, related_name="sources", blank=True)
    responses = models.ManyToManyField(Response, related_name="sources", blank=True)
    indicators = models.ManyToManyField(Indicator, related_name="sources", blank=True)
    answers = models.ManyToManyField(Answer, related_name="sources", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number", "id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="source_unique_number"),
            models.CheckConstraint(
                condition=Q(reliability__in=["A", "B", "C", "D", "E", "F"]),
                name="source_reliability_a_to_f",
            ),
            models.CheckConstraint(
                condition=Q(credibility__gte=1, credibility__lte=6),
                name="source_credibility_1_to_6",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="source_has_title"),
            models.CheckConstraint(
                condition=Q(file="") | ~Q(file_sha256=""), name="source_file_has_digest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def ref(self) -> str:
        return f"S{self.number}"

    @property
    def grade(self) -> str:
        """The two-part grade, e.g. "B2"."""
        return f"{self.reliability}{self.credibility}"


class Quote(models.Model):
    """People's own words: what a member of a group said, how it was gathered, and
    whether they agreed to its publication."""

    class Consent(models.TextChoices):
        PUBLICATION = "publication", _("Given for publication")
        INTERNAL = "internal", _("Internal use only")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(_("words as spoken"))
    # A group or source deleted later leaves the quote in place, shown as unattributed.
    group = models.ForeignKey(
        PopulationGroup,
        on_delete=models.SET_NULL,
        null=True,
        related_name="quotes",
        verbose_name=_("speaker's group"),
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.SET_NULL,
        null=True,
        related_name="quotes",
        verbose_name=_("gathered in"),
    )
    language = models.CharField(_("language"), max_length=60)
    translation = models.TextField(_("translation"), blank=True)
    consent = models.CharField(
        _("consent"), max_length=12, choices=Consent.choices, default=Consent.INTERNAL
    )
    threats = models.ManyToManyField(
        Threat, related_name="quotes", blank=True, verbose_name=_("threats it illustrates")
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="quote_has_text"),
            models.CheckConstraint(
                condition=Q(consent__in=["publication", "internal"]), name="quote_consent_valid"
            ),
        ]

    def __str__(self) -> str:
        words = self.text.split()
        return " ".join(words[:8]) + (" …" if len(words) > 8 else "")

    @property
    def publishable(self) -> bool:
        return self.consent == self.Consent.PUBLICATION
