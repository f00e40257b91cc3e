"""Forms of the evidence: a source (with its file), a quote, and the citation picker the
threat, response, indicator and answer forms add."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments import fields as editable
from assessments.evidence.files import check_attachment
from assessments.forms import BaseModelForm, DateInput, IdRangeMultipleChoiceField
from assessments.models import Assessment, Quote, Source


def citation_field(
    assessment: Assessment, *, initial=(), sources: list | None = None
) -> IdRangeMultipleChoiceField:
    """Checkboxes of the assessment's sources, labelled with their numbers. A form with a
    picker per answer reads the sources once and gives them as `sources`: each picker
    then shows that list instead of querying again."""
    field = IdRangeMultipleChoiceField(
        queryset=Source.objects.filter(assessment=assessment),
        required=False,
        label=_("Sources cited"),
        help_text=_("The evidence this rests on. Add sources in the source register."),
        widget=forms.CheckboxSelectMultiple,
        initial=list(initial),
    )
    field.label_from_instance = lambda s: f"{s.ref} {s.title} ({s.grade})"
    if sources is not None:
        field.choices = [(s.pk, field.label_from_instance(s)) for s in sources]
    return field


def add_citations(form: forms.Form, assessment: Assessment) -> None:
    """Give a threat or response form its `sources` picker, showing what it cites now."""
    instance = getattr(form, "instance", None)
    cited = instance.sources.all() if instance is not None and instance.pk else ()
    form.fields["sources"] = citation_field(assessment, initial=[s.pk for s in cited])


class SourceForm(BaseModelForm):
    attachment = forms.FileField(
        label=_("Attach a file"),
        required=False,
        help_text=_("PDF, PNG or JPEG image, or plain text. Served only to the team."),
    )
    remove_file = forms.BooleanField(label=_("Remove the attached file"), required=False)

    class Meta:
        model = Source
        fields = list(editable.SOURCE)
        widgets = {"date": DateInput, "citation": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, assessment: Assessment, **kwargs):
        self.assessment = assessment
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            # Fail closed: a new source starts sensitive; the person unticks it.
            self.fields["sensitive"].initial = True
            del self.fields["remove_file"]
        elif not self.instance.file:
            del self.fields["remove_file"]

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        try:
            return check_attachment(upload)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def _post_clean(self):
        pass


class QuoteForm(BaseModelForm):
    class Meta:
        model = Quote
        fields = list(editable.QUOTE)
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "translation": forms.Textarea(attrs={"rows": 3}),
            "threats": forms.CheckboxSelectMultiple,
            "consent": forms.RadioSelect,
        }
        field_classes = {"threats": IdRangeMultipleChoiceField}
        help_texts = {
            "text": _(
                "No personal names: not the speaker's, nor anyone they mention. Say “a "
                "woman of the group”, “a local official”."
            ),
            "consent": _("Only quotes given for publication appear in the public edition."),
        }

    def __init__(self, *args, assessment: Assessment, **kwargs):
        self.assessment = assessment
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = assessment.groups.all()
        self.fields["group"].required = True
        self.fields["source"].queryset = Source.objects.filter(assessment=assessment)
        self.fields["source"].required = True
        self.fields["threats"].queryset = assessment.threats.all()
        self.fields["threats"].label_from_instance = lambda t: f"T{t.number} {t.title}"
        self.fields["threats"].required = False

    def _post_clean(self):
        pass
