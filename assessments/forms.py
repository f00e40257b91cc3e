"""Forms check the shape of input; the services check the rules of the work."""

from __future__ import annotations

import json

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.db import connection
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Indicator, PopulationGroup, Response, Threat
from frameworks.models import Dimension, Framework, FrameworkVersion
from frameworks.selectors import scales_of
from hsassess.uploads import checked_upload

LONG_TEXT = 20_000


class LimitedTextMixin:
    """Give every free-text field an upper bound so overlong input is a form error."""

    def limit_text(self) -> None:
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length is None:
                field.max_length = LONG_TEXT
                field.validators.append(MaxLengthValidator(LONG_TEXT))
                field.widget.attrs.setdefault("maxlength", str(LONG_TEXT))


class BaseForm(LimitedTextMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_text()
        self.helper = FormHelper()
        self.helper.form_tag = False


STALE_FORM = _("This form was changed outside the page. Reload the page and try again.")


def version_field() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        required=False,
        error_messages={"invalid": STALE_FORM, "min_value": STALE_FORM},
    )


class BaseModelForm(LimitedTextMixin, forms.ModelForm):
    version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_text()
        if self.instance.pk and not self.is_bound:
            self.fields["version"].initial = self.instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False

    @property
    def base_version(self) -> int:
        return self.cleaned_data.get("version") or 0

    def field_values(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data
        }


class IdRangeMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids beyond the 64-bit range as invalid choices. Django checks that for
    single ids but not for `pk__in`, where SQLite then raises OverflowError."""

    def _check_values(self, value):
        low, high = connection.ops.integer_field_range("BigIntegerField")
        for pk in value or ():
            try:
                number = int(str(pk))
            except ValueError:
                continue  # the parent reports ids that are not numbers
            if not low <= number <= high:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class DateInput(forms.DateInput):
    input_type = "date"


def team_members(teams):
    return (
        get_user_model()
        .objects.filter(memberships__team__in=teams, is_active=True)
        .distinct()
        .order_by("username")
    )


class AssessmentCreateForm(BaseForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    team = forms.ModelChoiceField(label=_("Team"), queryset=None)
    framework = forms.ModelChoiceField(
        label=_("Framework"),
        queryset=Framework.objects.filter(
            versions__status=FrameworkVersion.Status.PUBLISHED
        ).distinct(),
        help_text=_("The assessment is answered with the latest published version."),
    )
    country = forms.CharField(label=_("Country"), max_length=100)
    area = forms.CharField(label=_("Area"), max_length=200, required=False)
    population_focus = forms.CharField(
        label=_("Population in focus"), max_length=300, required=False
    )
    period_start = forms.DateField(label=_("Period from"), required=False, widget=DateInput)
    period_end = forms.DateField(label=_("Period to"), required=False, widget=DateInput)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if teams.count() == 1:
            self.fields["team"].initial = teams.first()
        frameworks = self.fields["framework"].queryset
        if frameworks.count() == 1:
            self.fields["framework"].initial = frameworks.first()

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data


class AssessmentContextForm(BaseModelForm):
    class Meta:
        model = Assessment
        fields = [
            "title",
            "country",
            "area",
            "population_focus",
            "period_start",
            "period_end",
            "key_points",
            "collaborators",
        ]
        widgets = {
            "period_start": DateInput,
            "period_end": DateInput,
            "key_points": forms.Textarea(attrs={"rows": 4}),
            "collaborators": forms.CheckboxSelectMultiple,
        }
        field_classes = {"collaborators": IdRangeMultipleChoiceField}

    def __init__(self, *args, can_manage_collaborators: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if can_manage_collaborators:
            self.fields["collaborators"].queryset = team_members([self.instance.team]).exclude(
                pk=self.instance.owner_id
            )
            self.fields["collaborators"].required = False
        else:
            del self.fields["collaborators"]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data

    def _post_clean(self):
        # Saving is the service's job (with its version check); skip the model's own
        # validation of the instance here.
        pass


class SectionAnswersForm(BaseForm):
    """One textarea per prompt, each with the version it was loaded at."""

    def __init__(self, *args, section, answers: dict, **kwargs):
        self.section = section
        self.prompts = list(section.prompts.all())
        super().__init__(*args, **kwargs)
        for prompt in self.prompts:
            answer = answers.get(prompt.pk)
            self.fields[f"text_{prompt.key}"] = forms.CharField(
                label=prompt.text,
                help_text=prompt.help,
                required=False,
                max_length=LONG_TEXT,
                initial=answer.text if answer else "",
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            self.fields[f"version_{prompt.key}"] = version_field()
            self.fields[f"version_{prompt.key}"].initial = answer.version if answer else 0

    def rows(self):
        for prompt in self.prompts:
            yield prompt, self[f"text_{prompt.key}"], self[f"version_{prompt.key}"]

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


class GroupForm(BaseModelForm):
    class Meta:
        model = PopulationGroup
        fields = [
            "name",
            "description",
            "sex",
            "age_band",
            "disability",
            "displacement_status",
            "ethnicity",
            "religion",
            "other_characteristics",
            "estimated_size",
            "sensitive",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, assessment: Assessment, **kwargs):
        self.assessment = assessment
        super().__init__(*args, **kwargs)

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


def _scale_choices(levels) -> list[tuple[int, str]]:
    return [(level.value, f"{level.value} – {level.label}") for level in levels]


class ThreatForm(BaseModelForm):
    class Meta:
        model = Threat
        fields = [
            "title",
            "description",
            "dimension",
            "onset",
            "source_actor",
            "actor_type",
            "affected_groups",
            "likelihood",
            "severity",
            "urgency",
            "trend",
            "confidence",
            "basis",
            "root_causes",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "root_causes": forms.Textarea(attrs={"rows": 3}),
            "affected_groups": forms.CheckboxSelectMultiple,
        }
        field_classes = {"affected_groups": IdRangeMultipleChoiceField}

    def __init__(self, *args, assessment: Assessment, **kwargs):
        self.assessment = assessment
        super().__init__(*args, **kwargs)
        version = assessment.framework_version
        self.fields["dimension"].queryset = Dimension.objects.filter(version=version)
        self.fields["affected_groups"].queryset = assessment.groups.all()
        self.fields["affected_groups"].required = False
        scales = scales_of(version)
        for name in ("likelihood", "severity", "urgency"):
            self.fields[name] = forms.TypedChoiceField(
                label=Threat._meta.get_field(name).verbose_name.capitalize(),
                choices=_scale_choices(scales[name]),
                coerce=int,
                initial=getattr(self.instance, name, None),
            )
        self.components = list(version.components.all())
        existing = (
            {t.component_id: t.rationale for t in self.instance.tags.all()}
            if self.instance.pk
            else {}
        )
        for component in self.components:
            self.fields[f"tag_{component.pk}"] = forms.BooleanField(
                label=component.name,
                required=False,
                initial=component.pk in existing,
            )
            self.fields[f"rationale_{component.pk}"] = forms.CharField(
                label=_("Why this threat matters for “%(name)s”") % {"name": component.name},
                required=False,
                max_length=2000,
                initial=existing.get(component.pk, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def tag_rows(self):
        for component in self.components:
            yield component, self[f"tag_{component.pk}"], self[f"rationale_{component.pk}"]

    def clean(self):
        data = super().clean()
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

    def field_values(self) -> dict:
        values = super().field_values()
        values.pop("affected_groups", None)
        return values

    def _post_clean(self):
        pass


class IndicatorForm(LimitedTextMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "kind", "baseline", "threshold", "source", "frequency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_text()

    def _post_clean(self):
        pass


IndicatorFormSet = forms.inlineformset_factory(
    Threat,
    Indicator,
    form=IndicatorForm,
    extra=1,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


def indicator_rows(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        row = {name: form.cleaned_data.get(name) for name in IndicatorForm._meta.fields}
        # The formset resolves a posted id against every indicator; pass on what was
        # chosen so the service can refuse one that belongs to another threat.
        chosen = form.cleaned_data.get("id")
        row["id"] = chosen.pk if chosen else None
        row["delete"] = bool(form.cleaned_data.get("DELETE"))
        rows.append(row)
    return rows


class ResponseForm(BaseModelForm):
    class Meta:
        model = Response
        fields = [
            "title",
            "description",
            "strategy",
            "status",
            "preventive",
            "actor",
            "actor_type",
            "threats",
            "group",
            "timeframe",
            "do_no_harm_risk",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "do_no_harm_risk": forms.Textarea(attrs={"rows": 3}),
            "threats": forms.CheckboxSelectMultiple,
        }
        field_classes = {"threats": IdRangeMultipleChoiceField}

    def __init__(self, *args, assessment: Assessment, **kwargs):
        self.assessment = assessment
        super().__init__(*args, **kwargs)
        self.fields["threats"].queryset = assessment.threats.select_related("dimension")
        self.fields["threats"].required = False
        self.fields["group"].queryset = assessment.groups.all()

    def field_values(self) -> dict:
        values = super().field_values()
        values.pop("threats", None)
        return values

    def _post_clean(self):
        pass


class AssessmentFilterForm(BaseForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Assessment.Status.choices],
    )
    team = forms.ModelChoiceField(
        label=_("Team"), required=False, queryset=None, empty_label=_("Any team")
    )
    country = forms.CharField(label=_("Country"), required=False, max_length=100)
    dimension = forms.ChoiceField(label=_("Dimension"), required=False)

    def __init__(self, *args, teams, dimension_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["dimension"].choices = [("", _("Any dimension")), *dimension_choices]


class CommentForm(BaseForm):
    text = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    section = forms.ModelChoiceField(
        label=_("On section"), queryset=None, required=False, empty_label=_("The whole assessment")
    )

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = assessment.framework_version.sections.all()


class DecisionForm(BaseForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("return", _("Return to the authors")), ("approve", _("Approve"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the authors"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning: say what must change."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("note") or "").strip():
            self.add_error("note", _("Say what needs to change before it can be approved."))
        return data


class ReopenForm(BaseForm):
    note = forms.CharField(
        label=_("Why reopen?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


IMPORT_MAX_BYTES = 5 * 1024 * 1024


class AssessmentImportForm(BaseForm):
    file = forms.FileField(
        label=_("Assessment export (JSON)"),
        help_text=_("A file downloaded with “Export JSON”, at most 5 MB."),
    )
    team = forms.ModelChoiceField(label=_("Import into team"), queryset=None)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if teams.count() == 1:
            self.fields["team"].initial = teams.first()

    def clean_file(self):
        raw = checked_upload(
            self.cleaned_data["file"], max_bytes=IMPORT_MAX_BYTES, extensions=(".json",)
        )
        try:
            return json.loads(raw.decode("utf-8"))
        # ValueError covers JSONDecodeError and integers too long to convert;
        # RecursionError, nesting deeper than the parser goes.
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise forms.ValidationError(
                _("This is not a JSON document (%(err)s).") % {"err": exc}
            ) from exc
