"""Monitoring in the assessment document (hsassess-assessment/1): an indicator's
machine-readable threshold and its readings, and the baseline by reference.

Numbers travel as text ("12.5"), exact in every JSON reader. A document holds one
assessment, so its baseline is never in it: the export names it (title, country,
approval date) for people to read, and the import leaves the new draft without one.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments import fields
from assessments.models import Assessment, Indicator, Threat
from assessments.monitoring.services import reading_record


def _plain(value: Any) -> Any:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else value


# Left out of an indicator that is not monitored, so its document stays as it was.
MONITORING_FIELDS = {"threshold_kind", "threshold_value", "levels", "frequency_days"}


def indicator_document(indicator: Indicator) -> dict[str, Any]:
    """An indicator's fields and its readings, oldest first (readings prefetched)."""
    document = {f: _plain(getattr(indicator, f)) for f in fields.INDICATOR}
    monitored = (
        indicator.threshold_kind != Indicator.ThresholdKind.NONE
        or indicator.frequency_days
        or indicator.levels
    )
    if not monitored:
        for name in MONITORING_FIELDS:
            del document[name]
    readings = [
        {
            "date": r.date.isoformat(),
            "value": _plain(r.value),
            "level": r.level,
            "occurred": r.occurred,
            "note": r.note,
            "source": r.source,
        }
        for r in sorted(indicator.readings.all(), key=lambda r: r.date)
    ]
    if readings:
        document["readings"] = readings
    return document


def baseline_reference(assessment: Assessment) -> dict[str, Any] | None:
    baseline = assessment.baseline
    if baseline is None:
        return None
    return {
        "title": baseline.title,
        "country": baseline.country,
        "approved_at": baseline.approved_at.isoformat() if baseline.approved_at else None,
    }


def import_readings(*, threat: Threat, rows: list[dict], user, call, path: str) -> None:
    """Record the readings of a threat's indicators, as the document lists them (the
    indicators were saved in the document's order). `call(path, service, **kwargs)` is
    the importer's: a refused reading is a problem of the import, which then writes
    nothing at all."""
    indicators = list(threat.indicators.order_by("id"))
    for j, (indicator, row) in enumerate(zip(indicators, rows, strict=False)):
        for k, reading in enumerate(row.get("readings") or []):
            call(
                f"{path}.indicators[{j}].readings[{k}]",
                _record,
                indicator=indicator,
                user=user,
                row=reading,
            )


def _record(*, indicator: Indicator, user, row: dict) -> None:
    try:
        when = date.fromisoformat(row.get("date") or "")
    except (TypeError, ValueError) as exc:
        raise ValidationError({"date": _("Give the date as YYYY-MM-DD.")}) from exc
    reading_record(
        indicator=indicator,
        user=user,
        date=when,
        value=row.get("value"),
        level=row.get("level"),
        occurred=row.get("occurred"),
        note=row.get("note") or "",
        source=row.get("source") or "",
    )
