"""The email settings form."""

from __future__ import annotations

from django import forms

from assessments.models import NotificationSettings


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["email", "language"]
