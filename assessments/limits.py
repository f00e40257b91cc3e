"""The size limits of an assessment, in one place: the forms, the services and the import
read them from here, so a document cannot hold what a page could not enter. Together
they keep an import at every cap within the worker timeout (30 s), and the brief of
such an assessment in the background worker; docs/limits.md has the measured cost.

The counts are enforced by the create services (content/services.py, core/services.py),
the texts by `core.services.save_validated`, which every content write goes through.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Counts per assessment (per threat for indicators).
THREATS = 200  # each is a form, a register row, a line in the brief's annex
GROUPS = 50  # each group is a row of the brief and a checkbox on every threat form
RESPONSES = 100  # each response is a row of the brief and a checkbox list of threats
INDICATORS = 10  # per threat: its form shows them all as one formset
COLLABORATORS = 50  # a team's size in practice; each is a checkbox on the context form
SOURCES = 200  # each is a checkbox on every threat, response and answer form
QUOTES = 100  # people's own words: the brief prints one or two, the page lists them all

# Texts, in characters.
LONG_TEXT = 20_000  # free text (answers, descriptions, key points): about eight pages
RATIONALE = 2_000  # why a threat matters for one component: a paragraph
# Short texts (titles, names) are bounded by their model field's max_length.

# A JSON document: deeper than this is not an export (which nests 5 levels).
JSON_DEPTH = 20
# The widest integer field is 32-bit (10 digits); a longer number is no value of ours.
NUMBER_DIGITS = 10

COUNTS = {
    "threats": (THREATS, _("An assessment holds at most %(n)d threats.")),
    "groups": (GROUPS, _("An assessment holds at most %(n)d population groups.")),
    "responses": (RESPONSES, _("An assessment holds at most %(n)d responses.")),
    "indicators": (INDICATORS, _("A threat holds at most %(n)d indicators.")),
    "collaborators": (COLLABORATORS, _("An assessment has at most %(n)d collaborators.")),
    "sources": (SOURCES, _("An assessment holds at most %(n)d sources.")),
    "quotes": (QUOTES, _("An assessment holds at most %(n)d quotes.")),
}


def check_count(kind: str, count: int, *, field: str | None = None) -> None:
    """Refuse `count` items of `kind` if it is over the cap, naming the cap (on `field`
    of the form when given)."""
    cap, message = COUNTS[kind]
    if count > cap:
        error = ValidationError(message % {"n": cap}, code="limit")
        raise ValidationError({field: error}) if field else error


def text_limit(field: models.Field) -> int | None:
    """The length limit of a model text field without a max_length of its own."""
    if not isinstance(field, models.TextField) or field.max_length:
        return None
    return RATIONALE if field.name == "rationale" else LONG_TEXT


def check_texts(obj: models.Model) -> None:
    """The forms' text limits, applied to a model instance about to be saved, with the
    forms' own message ("Ensure this value has at most 20000 characters …")."""
    errors = {}
    for field in obj._meta.concrete_fields:
        limit = text_limit(field)
        value = getattr(obj, field.attname)
        if limit and isinstance(value, str):
            try:
                MaxLengthValidator(limit)(value)
            except ValidationError as exc:
                errors[field.name] = exc.messages
    if errors:
        raise ValidationError(errors)
