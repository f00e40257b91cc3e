"""Form bases every concern uses: text limits, the hidden version field that
conflict detection needs, crispy helpers without a form tag."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import MaxLengthValidator
from django.db import connection
from django.utils.translation import gettext_lazy as _

from assessments import fields as editable
from assessments.limits import LONG_TEXT


class LimitedTextMixin:
    """Give every free-text field an upper bound so overlong input is a form error."""

    def limit_text(self) -> None:
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length is None:
                field.max_length = LONG_TEXT
                field.validators.append(MaxLengthValidator(LONG_TEXT))
                field.widget.attrs.setdefault("maxlength", str(LONG_TEXT))


class BaseForm(LimitedTextMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_text()
        self.helper = FormHelper()
        self.helper.form_tag = False


STALE_FORM = _("This form was changed outside the page. Reload the page and try again.")


def version_field() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        required=False,
        error_messages={"invalid": STALE_FORM, "min_value": STALE_FORM},
    )


class BaseModelForm(LimitedTextMixin, forms.ModelForm):
    version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_text()
        if self.instance.pk and not self.is_bound:
            self.fields["version"].initial = self.instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False

    @property
    def base_version(self) -> int:
        return self.cleaned_data.get("version") or 0

    def field_values(self) -> dict:
        """The cleaned plain fields, as the service takes them; many-to-many relations
        are passed to the service on their own."""
        return {
            name: self.cleaned_data[name]
            for name in editable.plain(self._meta.fields)
            if name in self.cleaned_data
        }


class IdRangeMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids beyond the 64-bit range as invalid choices. Django checks that for
    single ids but not for `pk__in`, where SQLite then raises OverflowError."""

    def _check_values(self, value):
        low, high = connection.ops.integer_field_range("BigIntegerField")
        for pk in value or ():
            try:
                number = int(str(pk))
            except ValueError:
                continue  # the parent reports ids that are not numbers
            if not low <= number <= high:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class DateInput(forms.DateInput):
    input_type = "date"
