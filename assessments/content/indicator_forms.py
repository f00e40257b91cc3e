"""A threat's early-warning indicators, edited as rows beside the threat."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments import fields as editable
from assessments import limits
from assessments.evidence.forms import add_citations
from assessments.forms import LimitedTextMixin
from assessments.models import Assessment, Indicator, Threat


class IndicatorForm(LimitedTextMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = list(editable.INDICATOR)
        widgets = {"levels": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, assessment: Assessment | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_text()
        if assessment is not None:
            add_citations(self, assessment)
        # Left out (older pages, imports, scripts), an indicator has no machine threshold.
        self.fields["threshold_kind"].required = False

    def clean_threshold_kind(self):
        return self.cleaned_data.get("threshold_kind") or Indicator.ThresholdKind.NONE

    def clean(self):
        # The threshold's own rules (a value for its kind, levels listed) are the model's;
        # asked here too so the message stands beside the field, not above the form.
        data = super().clean()
        names = ("threshold_kind", "threshold_value", "levels")
        probe = Indicator(**{n: data[n] for n in names if data.get(n) is not None})
        try:
            probe.clean()
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field, errors)
        return data

    def _post_clean(self):
        pass


class IndicatorBaseFormSet(forms.BaseInlineFormSet):
    default_error_messages = {
        "too_many_forms": _("A threat holds at most %(num)d indicators."),
    }


IndicatorFormSet = forms.inlineformset_factory(
    Threat,
    Indicator,
    form=IndicatorForm,
    formset=IndicatorBaseFormSet,
    extra=1,
    can_delete=True,
    max_num=limits.INDICATORS,
    validate_max=True,
)


def indicator_rows(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        row = {name: form.cleaned_data.get(name) for name in IndicatorForm._meta.fields}
        # The formset resolves a posted id against every indicator; pass on what was
        # chosen so the service can refuse one that belongs to another threat.
        chosen = form.cleaned_data.get("id")
        row["id"] = chosen.pk if chosen else None
        row["delete"] = bool(form.cleaned_data.get("DELETE"))
        if "sources" in form.fields:
            row["sources"] = form.cleaned_data.get("sources") or []
        rows.append(row)
    return rows
