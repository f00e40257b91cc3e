"""Forms of the content: a section's answers, groups, threats, responses (a threat's
indicators are in indicator_forms.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments import fields as editable
from assessments import limits
from assessments.evidence.forms import add_citations, citation_field
from assessments.forms import (
    BaseForm,
    BaseModelForm,
    IdRangeMultipleChoiceField,
    version_field,
)
from assessments.models import Assessment, PopulationGroup, Response, Source, Threat
from assessments.models.groups import AGE_MAX, LEGACY_AGE_BANDS, age_range_label
from frameworks.i18n import text as fw_text
from frameworks.models import Dimension
from frameworks.selectors import scales_of


class SectionAnswersForm(BaseForm):
    """One textarea per prompt, each with the version it was loaded at."""

    def __init__(self, *args, section, answers: dict, assessment=None, **kwargs):
        self.section = section
        self.prompts = list(section.prompts.all())
        self.cited: dict[str, list] = {}
        super().__init__(*args, **kwargs)
        sources = list(Source.objects.filter(assessment=assessment)) if assessment else None
        for prompt in self.prompts:
            answer = answers.get(prompt.pk)
            self.fields[f"text_{prompt.key}"] = forms.CharField(
                label=fw_text(prompt, "text")[0],
                help_text=fw_text(prompt, "help")[0],
                required=False,
                max_length=limits.LONG_TEXT,
                initial=answer.text if answer else "",
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            self.fields[f"version_{prompt.key}"] = version_field()
            self.fields[f"version_{prompt.key}"].initial = answer.version if answer else 0
            if assessment is not None:
                cited = list(answer.sources.all()) if answer else []
                self.cited[prompt.key] = cited
                self.fields[f"sources_{prompt.key}"] = citation_field(
                    assessment, initial=[s.pk for s in cited], sources=sources
                )

    def rows(self):
        for prompt in self.prompts:
            yield (
                prompt,
                self[f"text_{prompt.key}"],
                self[f"version_{prompt.key}"],
                self._citations_of(prompt.key),
            )

    def _citations_of(self, key: str):
        """The answer's citation picker, carrying the sources it cites now (`.cited`)."""
        if f"sources_{key}" not in self.fields:
            return None
        bound = self[f"sources_{key}"]
        bound.cited = sorted(self.cited.get(key, []), key=lambda s: s.number)
        return bound

    def citations(self) -> dict[str, list]:
        """The sources each answer cites, for the prompts in the post."""
        return {
            p.key: list(self.cleaned_data.get(f"sources_{p.key}") or [])
            for p in self.prompts
            if f"text_{p.key}" in self.data and f"sources_{p.key}" in self.fields
        }

    def texts(self) -> dict[str, str]:
        # A prompt left out of the post, or whose saved text the person chose to keep
        # after a conflict, is not written.
        return {
            p.key: self.cleaned_data[f"text_{p.key}"]
            for p in self.prompts
            if f"text_{p.key}" in self.data and not self.data.get(f"keep_theirs_{p.key}")
        }

    def versions(self) -> dict[str, int]:
        return {p.key: self.cleaned_data.get(f"version_{p.key}") or 0 for p in self.prompts}


def _band_label(age_from: int | None, age_to: int | None) -> str:
    return age_range_label(age_from, age_to)


# The quick choices beside the free age range: the standard bands, the broad ones the
# groups had before ranges, and all ages. Their values are the old bands' (LEGACY_AGE_BANDS)
# so a page or script that still posts "age_band" keeps working.
AGE_BAND_CHOICES = [
    ("", _("Type the ages below, or choose a band")),
    ("all", _("All ages")),
    *(
        (value, _band_label(*ages))
        for value, ages in LEGACY_AGE_BANDS.items()
        if value not in ("all", "children", "adults", "older")
    ),
    ("children", _("Children (0–17)")),
    ("adults", _("Adults (18–59)")),
    ("older", _("Older people (60+)")),
]


class GroupForm(BaseModelForm):
    age_band = forms.ChoiceField(
        label=_("Age band"),
        required=False,
        choices=AGE_BAND_CHOICES,
        help_text=_("A standard band fills both ages; or leave this and type any range."),
        widget=forms.Select(attrs={"data-age-band": "1"}),
    )
    threats = IdRangeMultipleChoiceField(
        label=_("Threats affecting this group"),
        queryset=Threat.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The same links as each threat's “affected groups”, set from here."),
    )
    # Sent by the page with the checkboxes: a post without it (a script, an older page)
    # leaves the group's threats as they are rather than unlinking them all.
    threats_shown = forms.BooleanField(widget=forms.HiddenInput, initial=True, required=False)
    # Compared on a conflict too: a threat's form may have changed them meanwhile.
    linked_fields = ("threats",)

    class Meta:
        model = PopulationGroup
        fields = list(editable.GROUP)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "aliases": forms.Textarea(attrs={"rows": 2}),
            "age_from": forms.NumberInput(attrs={"min": 0, "max": AGE_MAX}),
            "age_to": forms.NumberInput(attrs={"min": 0, "max": AGE_MAX}),
        }

    def __init__(self, *args, assessment: Assessment, **kwargs):
        self.assessment = assessment
        super().__init__(*args, **kwargs)
        self.fields["threats"].queryset = assessment.threats.order_by("number")
        self.fields["threats"].label_from_instance = lambda t: f"T{t.number} {t.title}"
        if self.instance.pk and not self.is_bound:
            self.fields["threats"].initial = [t.pk for t in self.instance.threats.all()]
        order = list(self.fields)
        order.remove("age_band")
        order.insert(order.index("age_from"), "age_band")
        self.order_fields(order)

    def clean(self):
        data = super().clean()
        if not data.get("threats_shown"):
            data["threats"] = None
        band = data.get("age_band")
        if band:
            ages = LEGACY_AGE_BANDS[band]
            typed = (data.get("age_from"), data.get("age_to"))
            if typed == (None, None):
                data["age_from"], data["age_to"] = ages
            elif typed != ages:
                # Without JavaScript nothing copies the band into the ages: both were
                # given and they disagree, so ask rather than guess which was meant.
                self.add_error(
                    "age_band",
                    _("You chose the band %(band)s and typed the ages %(typed)s: keep one of them.")
                    % {"band": _band_label(*ages), "typed": _band_label(*typed)},
                )
        return data

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = PopulationGroup.objects.filter(assessment=self.assessment, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This assessment already has a group of that name."))
        return name

    def _post_clean(self):
        pass


def _scale_choices(levels) -> list[tuple[int | str, str]]:
    # An empty first choice: a score is chosen, never taken from a default. Options hold
    # text only: the label in the reader's language, or the default one.
    return [
        ("", _("Choose…")),
        *((lv.value, f"{lv.value} – {fw_text(lv, 'label')[0]}") for lv in levels),
    ]


SCORE_REQUIRED = {
    "likelihood": _("Choose the likelihood: no score is assumed."),
    "severity": _("Choose the severity: no score is assumed."),
    "urgency": _("Choose the urgency: no score is assumed."),
}


class ThreatForm(BaseModelForm):
    class Meta:
        model = Threat
        fields = list(editable.THREAT)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "root_causes": forms.Textarea(attrs={"rows": 3}),
            "affected_groups": forms.CheckboxSelectMultiple,
            "further_dimensions": forms.CheckboxSelectMultiple,
        }
        field_classes = {
            "affected_groups": IdRangeMultipleChoiceField,
            "further_dimensions": IdRangeMultipleChoiceField,
        }

    def __init__(self, *args, assessment: Assessment, **kwargs):
        self.assessment = assessment
        super().__init__(*args, **kwargs)
        version = assessment.framework_version
        dimensions = Dimension.objects.filter(version=version).select_related("version")
        self.fields["dimension"].queryset = dimensions
        self.fields["dimension"].label = _("Primary dimension")
        self.fields["further_dimensions"].queryset = dimensions
        self.fields["further_dimensions"].required = False
        for name in ("dimension", "further_dimensions"):
            self.fields[name].label_from_instance = lambda d: fw_text(d, "name")[0]
        self.fields["affected_groups"].queryset = assessment.groups.all()
        self.fields["affected_groups"].required = False
        add_citations(self, assessment)
        scales = scales_of(version)
        for name in ("likelihood", "severity", "urgency"):
            self.fields[name] = forms.TypedChoiceField(
                label=Threat._meta.get_field(name).verbose_name.capitalize(),
                choices=_scale_choices(scales[name]),
                coerce=int,
                empty_value=None,
                required=True,
                initial=getattr(self.instance, name, None),
                error_messages={"required": SCORE_REQUIRED[name]},
            )
        self.components = list(version.components.all())
        existing = (
            {t.component_id: t.rationale for t in self.instance.tags.all()}
            if self.instance.pk
            else {}
        )
        for component in self.components:
            name = fw_text(component, "name")[0]
            self.fields[f"tag_{component.pk}"] = forms.BooleanField(
                label=name,
                required=False,
                initial=component.pk in existing,
            )
            self.fields[f"rationale_{component.pk}"] = forms.CharField(
                label=_("Why this threat matters for “%(name)s”") % {"name": name},
                required=False,
                max_length=limits.RATIONALE,
                initial=existing.get(component.pk, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def tag_rows(self):
        for component in self.components:
            yield component, self[f"tag_{component.pk}"], self[f"rationale_{component.pk}"]

    def clean(self):
        data = super().clean()
        primary = data.get("dimension")
        if primary is not None and primary in (data.get("further_dimensions") or []):
            self.add_error(
                "further_dimensions",
                _("The primary dimension cannot also be a further one: untick it here."),
            )
        for component in self.components:
            tagged = data.get(f"tag_{component.pk}")
            rationale = (data.get(f"rationale_{component.pk}") or "").strip()
            if tagged and not rationale:
                self.add_error(
                    f"rationale_{component.pk}",
                    _("Say briefly why this threat matters for this component."),
                )
        return data

    def tags(self) -> dict[int, str]:
        return {
            c.pk: self.cleaned_data[f"rationale_{c.pk}"].strip()
            for c in self.components
            if self.cleaned_data.get(f"tag_{c.pk}")
        }

    def _post_clean(self):
        pass


class ResponseForm(BaseModelForm):
    class Meta:
        model = Response
        fields = list(editable.RESPONSE)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "do_no_harm_risk": forms.Textarea(attrs={"rows": 3}),
            "threats": forms.CheckboxSelectMultiple,
            "groups": forms.CheckboxSelectMultiple,
        }
        field_classes = {
            "threats": IdRangeMultipleChoiceField,
            "groups": IdRangeMultipleChoiceField,
        }

    def __init__(self, *args, assessment: Assessment, **kwargs):
        self.assessment = assessment
        super().__init__(*args, **kwargs)
        self.fields["threats"].queryset = assessment.threats.select_related("dimension")
        # Responses cite threats by the number every page and brief shows.
        self.fields["threats"].label_from_instance = lambda t: f"T{t.number} {t.title}"
        self.fields["threats"].required = False
        self.fields["groups"].queryset = assessment.groups.all()
        self.fields["groups"].required = False
        add_citations(self, assessment)

    def _post_clean(self):
        pass


class ThreatFilterForm(BaseForm):
    """The threat register's filters and order (a GET form: the page's address keeps
    them, so they survive paging, reloading and sharing a link)."""

    band = forms.ChoiceField(label=_("Risk band"), required=False)
    dimension = forms.TypedChoiceField(
        label=_("Dimension"), required=False, coerce=int, empty_value=None
    )
    component = forms.TypedChoiceField(
        label=_("Component"), required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("risk", _("Highest risk first")), ("number", _("By number"))],
    )

    def __init__(self, *args, dimensions, components, bands, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimensions = {d.pk: d for d in dimensions}
        self.components = {c.pk: c for c in components}
        self.fields["band"].choices = [("", _("Any band")), *bands]
        self.fields["dimension"].choices = [
            ("", _("Any dimension")),
            *((d.pk, fw_text(d, "name")[0]) for d in dimensions),
        ]
        self.fields["component"].choices = [
            ("", _("Any component")),
            *((c.pk, fw_text(c, "name")[0]) for c in components),
        ]

    def filters(self) -> dict:
        """The selector's keyword arguments: the valid fields (a stale or hand-made link
        with one bad value still applies the others, and the page says which failed)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {
            "band": data.get("band") or "",
            "dimension": self.dimensions.get(data.get("dimension")),
            "component": self.components.get(data.get("component")),
            "sort": data.get("sort") or "risk",
        }
