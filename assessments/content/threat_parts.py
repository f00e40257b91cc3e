"""The parts of a threat that threat_save writes besides its own fields: its number
(T1, T2 … given once, never reused), its scores checked against the pinned framework's
scales, its component tags (each with a rationale) and its indicators. Called inside
threat_save's transaction, under the assessment's row lock."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from assessments import fields, limits
from assessments.core.services import errors_at, save_validated
from assessments.evidence.citations import set_citations
from assessments.models import Assessment, ComponentTag, Indicator, Threat
from frameworks.models import Component, FrameworkVersion
from frameworks.selectors import scales_of


def validate_scales(version: FrameworkVersion, values: dict[str, int]) -> dict[str, str]:
    """Field errors for scale values the pinned framework version does not define."""
    errors = {}
    scales = scales_of(version)
    for name, value in values.items():
        allowed = [level.value for level in scales.get(name, [])]
        if value not in allowed:
            errors[name] = _("Choose a value between %(lo)d and %(hi)d.") % {
                "lo": min(allowed, default=1),
                "hi": max(allowed, default=1),
            }
    return errors


def next_threat_number(assessment: Assessment, wanted: int | None) -> int:
    # assert_editable holds the assessment's row lock, so two saves cannot take one number.
    # The counter remembers deleted threats; the max() also covers rows written in bulk.
    counter = (
        Assessment.objects.filter(pk=assessment.pk)
        .values_list("last_threat_number", flat=True)
        .get()
    )
    highest = Threat.objects.filter(assessment=assessment).aggregate(n=Max("number"))["n"] or 0
    free = bool(wanted) and not Threat.objects.filter(assessment=assessment, number=wanted).exists()
    number = wanted if free else max(counter, highest) + 1
    Assessment.objects.filter(pk=assessment.pk).update(
        last_threat_number=max(counter, highest, number)
    )
    return number


def set_tags(threat: Threat, version: FrameworkVersion, tags: dict[int, str], user) -> None:
    components = {c.pk: c for c in Component.objects.filter(version=version)}
    if set(tags) - set(components):
        raise ValidationError({"tags": _("Choose components of this assessment's framework.")})
    missing = [components[pk].name for pk, text in tags.items() if not text.strip()]
    if missing:
        raise ValidationError(
            {
                "tags": _("Give a short rationale for each component you tag: %(names)s.")
                % {"names": ", ".join(missing)}
            }
        )
    existing = {t.component_id: t for t in threat.tags.all()}
    for pk, tag in existing.items():
        if pk not in tags:
            tag._history_user = user
            tag.delete()
    for pk, text in tags.items():
        tag = existing.get(pk) or ComponentTag(threat=threat, component=components[pk])
        if tag.pk and tag.rationale == text.strip():
            continue
        tag.rationale = text.strip()
        save_validated(tag, user)


INDICATOR_FIELDS = fields.INDICATOR


def set_indicators(threat: Threat, rows: list[dict[str, Any]], user) -> None:
    existing = {i.pk: i for i in threat.indicators.all()}
    deleted = {row.get("id") for row in rows if row.get("delete") and row.get("id") is not None}
    added = sum(1 for row in rows if row.get("id") is None and not row.get("delete"))
    limits.check_count("indicators", len(existing.keys() - deleted) + added, field="indicators")
    for index, row in enumerate(rows):
        pk = row.get("id")
        if pk is not None and pk not in existing:
            raise ValidationError(_("An indicator in the form does not belong to this threat."))
        indicator = existing.get(pk) if pk is not None else Indicator(threat=threat)
        cited = row.get("sources")
        if row.get("delete"):
            if indicator.pk:
                indicator._history_user = user
                indicator.delete()
            continue
        for name in INDICATOR_FIELDS:
            if name in row:
                setattr(indicator, name, row[name])
        try:
            save_validated(indicator, user)
        except ValidationError as exc:
            # The form's formset has checked its rows already; an import has not, and its
            # message has to say which indicator of the threat was refused.
            raise ValidationError(errors_at(f"indicators[{index}]", exc)) from exc
        set_citations(indicator, cited, assessment=threat.assessment)
