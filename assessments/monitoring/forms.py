"""The reading form: only the field the indicator is read by (a number, a level, an
event), the date, a note and a source. The service checks the rules and says why."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.forms import BaseForm, DateInput
from assessments.models import Assessment, Indicator
from assessments.monitoring import status


class ReadingForm(BaseForm):
    date = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    # Text, not a DecimalField: the service says which input was not a number.
    value = forms.CharField(label=_("Value"), max_length=40, required=False)
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, required=False, empty_value=None)
    occurred = forms.TypedChoiceField(
        label=_("Did the event occur?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        measure = status.measure_of(indicator)
        for name in ("value", "level", "occurred"):
            if name != measure:
                del self.fields[name]
        if "level" in self.fields:
            self.fields["level"].choices = [
                ("", "—"),
                *((i, name) for i, name in enumerate(indicator.level_list, start=1)),
            ]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        return {
            k: data[k]
            for k in ("date", "value", "level", "occurred", "note", "source")
            if k in data
        }


class PortfolioFilterForm(BaseForm):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *Assessment.Status.choices], required=False
    )
    period_from = forms.DateField(label=_("Period from"), widget=DateInput, required=False)
    period_to = forms.DateField(label=_("Period to"), widget=DateInput, required=False)

    def __init__(self, *args, teams, countries: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["country"].choices = [("", "—"), *((c, c) for c in countries)]

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}
