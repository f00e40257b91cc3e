from django import forms
from django.utils.translation import gettext_lazy as _

from frameworks.documents import MAX_BYTES
from hsassess.uploads import checked_upload


class FrameworkImportForm(forms.Form):
    file = forms.FileField(
        label=_("Framework file (YAML)"),
        help_text=_("One framework version, at most 1 MB (docs/framework-format.md)."),
    )
    publish = forms.BooleanField(label=_("Publish it once imported"), required=False)

    def clean_file(self) -> bytes:
        return checked_upload(
            self.cleaned_data["file"], max_bytes=MAX_BYTES, extensions=(".yaml", ".yml")
        )


class PublishForm(forms.Form):
    KEEP, RETIRE = "keep", "retire"

    changelog = forms.CharField(
        label=_("What changed (changelog)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the framework page and to people moving an assessment."),
    )
    older = forms.ChoiceField(
        label=_("The version published before"),
        choices=[
            (KEEP, _("Stays available: assessments that use it keep it.")),
            (
                RETIRE,
                _("Retire it now: assessments that use it keep it, but it is marked retired."),
            ),
        ],
        initial=KEEP,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
