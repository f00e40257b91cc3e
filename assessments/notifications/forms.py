"""The email settings form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import NotificationSettings


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["email", "language"]
        # The person's language, not only their emails' (issue 11): the model's own
        # labels stay, so no migration for words.
        labels = {"language": _("Language")}
        help_texts = {
            "language": _(
                "Used for the interface and your emails. Left empty, the site follows "
                "your browser and the language switch."
            )
        }
