"""Export and import carry thresholds and readings; the baseline goes by reference only
(the import leaves it out: it is never in the same document)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessments.content.selectors import AssessmentData
from assessments.interchange.document import assessment_document
from assessments.interchange.importer import import_assessment
from assessments.models import Assessment, Reading
from assessments.monitoring.services import reading_record

pytestmark = pytest.mark.django_db


def _document(monitored) -> dict:
    reading_record(
        indicator=monitored.indicator,
        user=monitored.users["owner"],
        date=date(2026, 1, 5),
        value="120.5",
        note="Two districts",
        source="MoH",
    )
    return assessment_document(AssessmentData(monitored.assessment))


def test_the_export_carries_the_threshold_and_the_readings(monitored):
    (indicator,) = _document(monitored)["threats"][0]["indicators"]

    assert indicator["threshold_kind"] == "above" and indicator["threshold_value"] == "100"
    assert indicator["frequency_days"] == 30
    assert indicator["readings"] == [
        {
            "date": "2026-01-05",
            "value": "120.5",
            "level": None,
            "occurred": None,
            "note": "Two districts",
            "source": "MoH",
        }
    ]


def test_the_import_keeps_them_and_leaves_the_baseline_out(monitored):
    document = _document(monitored)
    later = Assessment.objects.create(
        title="Later", team=monitored.north, owner=monitored.users["owner"],
        framework_version=monitored.assessment.framework_version, country="Chad",
        baseline=monitored.assessment,
    )  # fmt: skip
    exported = assessment_document(AssessmentData(later))
    assert exported["assessment"]["baseline"]["title"] == "Northern"

    copy = import_assessment(document=document, owner=monitored.users["owner"])
    imported = import_assessment(document=exported, owner=monitored.users["owner"])

    indicator = copy.threats.get().indicators.get()
    assert (indicator.threshold_kind, indicator.threshold_value) == ("above", Decimal(100))
    reading = indicator.readings.get()
    assert (reading.value, reading.note, reading.crossed) == (
        Decimal("120.5"),
        "Two districts",
        True,
    )
    assert imported.baseline is None


def test_a_bad_reading_in_a_document_refuses_the_whole_import(monitored):
    document = _document(monitored)
    document["threats"][0]["indicators"][0]["readings"][0]["value"] = "lots"
    before = Assessment.objects.count()

    with pytest.raises(ValidationError) as caught:
        import_assessment(document=document, owner=monitored.users["owner"])

    assert "threats[0].indicators[0].readings[0].value: “lots” is not a number." in (
        caught.value.messages
    )
    assert Assessment.objects.count() == before and Reading.objects.count() == 1


def test_a_reading_of_the_wrong_type_is_a_shape_problem(monitored):
    document = _document(monitored)
    document["threats"][0]["indicators"][0]["readings"][0]["level"] = "high"

    with pytest.raises(ValidationError) as caught:
        import_assessment(document=document, owner=monitored.users["owner"])

    assert any("readings[0].level: expected" in m for m in caught.value.messages)
