"""The upload form of the import page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.forms import BaseForm
from assessments.interchange.reading import read_json
from hsassess.uploads import checked_upload

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
        return read_json(raw)  # its ValidationError is the field's error
