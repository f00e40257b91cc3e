"""The form that asks for a batch export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.forms import BaseForm, DateInput


class BatchExportForm(BaseForm):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None)
    period_from = forms.DateField(label=_("Approved from"), widget=DateInput)
    period_to = forms.DateField(
        label=_("Approved until"),
        widget=DateInput,
        help_text=_("Both days are included. The period cannot reach into the future."),
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if teams.count() == 1:
            self.fields["team"].initial = teams.first()
