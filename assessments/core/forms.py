"""Forms of the assessment itself: create, context, list filters."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from assessments import fields as editable
from assessments.forms import BaseForm, BaseModelForm, DateInput, IdRangeMultipleChoiceField
from assessments.models import Assessment
from frameworks.models import Framework, FrameworkVersion


def team_members(teams):
    return (
        get_user_model()
        .objects.filter(memberships__team__in=teams, is_active=True)
        .distinct()
        .order_by("username")
    )


class PeriodMixin:
    """The period of an assessment reads forwards."""

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data


def interface_language() -> str:
    """The language the person is using the site in (one the interface speaks)."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    for code in (current, current.split("-")[0]):
        if code in dict(settings.LANGUAGES):
            return code
    return settings.LANGUAGE_CODE


class AnalysisLanguageMixin:
    """What the analysis is written in; left out of a post, it stays as it was (or, for a
    new assessment, the language the person is using the site in)."""

    def _language_field(self, initial: str) -> None:
        field = self.fields["language"]
        field.required = False
        field.initial = initial
        # The model's words, which the catalogues already hold.
        model_field = Assessment._meta.get_field("language")
        field.label = capfirst(model_field.verbose_name)
        field.help_text = model_field.help_text

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or self.fields["language"].initial


class AssessmentCreateForm(AnalysisLanguageMixin, PeriodMixin, BaseForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(choices=settings.LANGUAGES)
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
        self._language_field(interface_language())
        self.fields["team"].queryset = teams
        if teams.count() == 1:
            self.fields["team"].initial = teams.first()
        frameworks = self.fields["framework"].queryset
        if frameworks.count() == 1:
            self.fields["framework"].initial = frameworks.first()


class AssessmentContextForm(AnalysisLanguageMixin, PeriodMixin, BaseModelForm):
    class Meta:
        model = Assessment
        fields = [*editable.ASSESSMENT, "collaborators"]
        widgets = {
            "period_start": DateInput,
            "period_end": DateInput,
            "key_points": forms.Textarea(attrs={"rows": 4}),
            "public_key_points": forms.Textarea(attrs={"rows": 4}),
            "collaborators": forms.CheckboxSelectMultiple,
        }
        field_classes = {"collaborators": IdRangeMultipleChoiceField}

    def __init__(self, *args, can_manage_collaborators: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._language_field(self.instance.language)
        if can_manage_collaborators:
            self.fields["collaborators"].queryset = team_members([self.instance.team]).exclude(
                pk=self.instance.owner_id
            )
            self.fields["collaborators"].required = False
        else:
            del self.fields["collaborators"]

    def _post_clean(self):
        # Saving is the service's job (with its version check); skip the model's own
        # validation of the instance here.
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
