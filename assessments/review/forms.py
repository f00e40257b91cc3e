"""Forms of the review: a comment, the decision, reopening."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.forms import BaseForm
from assessments.models import Assessment
from frameworks.i18n import text as fw_text


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
        self.fields["section"].label_from_instance = lambda s: fw_text(s, "title")[0]


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


class ThreadForm(BaseForm):
    """A new thread on the thing the page names (the target is in the query string)."""

    text = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplyForm(BaseForm):
    text = forms.CharField(
        label=_("Reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
