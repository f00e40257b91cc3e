"""The upload form of the import page."""

from __future__ import annotations

import json
import sys

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.forms import BaseForm
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
        # Each message says where or what, in the file's terms: the parser's own words
        # are about Python ("Exceeds the limit (4300 digits) for integer string ...").
        try:
            return json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            message = _("This is not a JSON document: byte %(n)d is not UTF-8 text.") % {
                "n": exc.start + 1
            }
        except json.JSONDecodeError as exc:
            message = _("This is not a JSON document (line %(line)d, column %(col)d).") % {
                "line": exc.lineno,
                "col": exc.colno,
            }
        except RecursionError:
            message = _("This is not a JSON document that can be read: it is nested too deeply.")
        except ValueError:  # an integer longer than Python converts
            message = _(
                "This is not a JSON document that can be read: a number has more than %(n)s digits."
            ) % {"n": f"{sys.get_int_max_str_digits():,}"}
        raise forms.ValidationError(message)
