"""What every edit page of an assessment shares: service errors shown on the form,
and the versioned save that turns a conflict into both texts side by side."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import Form
from django.http import HttpRequest

from assessments.core.services import EditConflict


def apply_errors(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def conflict_rows(form: Form, current: Model) -> list[dict]:
    """Fields where what this person typed differs from what is stored now: the model's
    fields, and the links a form sets from the other side (its `linked_fields`, named as
    the model's related manager)."""
    rows = []
    linked = getattr(form, "linked_fields", ())
    for name in [*form.Meta.fields, *linked]:
        if name not in form.cleaned_data:
            continue
        mine = form.cleaned_data[name]
        if mine is None and name in linked:
            continue  # links the post left alone
        theirs = getattr(current, name)
        if hasattr(theirs, "all"):
            theirs, mine = sorted(str(x) for x in theirs.all()), sorted(str(x) for x in mine)
        if mine != theirs:
            label = form.fields[name].label
            rows.append({"label": label, "mine": show_value(mine), "theirs": show_value(theirs)})
    return rows


def versioned_save(request, form, *, save, rebuild):
    """Run a versioned save. Returns (form to show, conflict rows, saved?): on a conflict
    the form is rebuilt on the stored version, keeping what the person typed, and the
    differing fields are listed; a rule the service enforces becomes a form error."""
    try:
        save()
    except EditConflict as exc:
        rows = conflict_rows(form, exc.current)
        rebuilt = rebuild(rebind_at(request, exc.current.version), exc.current)
        rebuilt.is_valid()
        return rebuilt, rows, False
    except ValidationError as exc:
        apply_errors(form, exc)
        return form, None, False
    return form, None, True


def show_value(value) -> str:
    if isinstance(value, list):
        return ", ".join(value) or "—"
    if value is None or value == "":
        return "—"
    return str(value)


def rebind_at(request: HttpRequest, version: int):
    data = request.POST.copy()
    data["version"] = str(version)
    return data
