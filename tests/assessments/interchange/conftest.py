"""Shared by the import tests: a valid export to change, and what an import writes."""

from __future__ import annotations

import json

import pytest

from assessments.content.selectors import AssessmentData
from assessments.interchange.document import assessment_document
from assessments.models import (
    Answer,
    Assessment,
    ComponentTag,
    Indicator,
    PopulationGroup,
    Response,
    Threat,
)
from tests.factories import (
    AnswerFactory,
    AssessmentFactory,
    ComponentTagFactory,
    IndicatorFactory,
    PopulationGroupFactory,
    ResponseFactory,
    ThreatFactory,
)


@pytest.fixture
def exported(team, practitioner, version) -> dict:
    """A valid export: an answer, a group, a tagged threat with an indicator, a response."""
    a = AssessmentFactory(
        title="Goma, 2025", team=team, owner=practitioner, framework_version=version
    )
    AnswerFactory(assessment=a, text="Fighting north of Goma since January.")
    group = PopulationGroupFactory(assessment=a, name="Women at water points")
    threat = ThreatFactory(assessment=a, title="Land seizures", likelihood=4, urgency=3)
    threat.affected_groups.add(group)
    ComponentTagFactory(threat=threat, rationale="Income lost.")
    IndicatorFactory(threat=threat, name="Checkpoint closures")
    response = ResponseFactory(assessment=a, title="Legal aid desks", groups=[group])
    response.threats.add(threat)
    return json.loads(json.dumps(assessment_document(AssessmentData(a))))


MODELS = (Assessment, Answer, PopulationGroup, Threat, ComponentTag, Indicator, Response)


def import_rows() -> dict[str, int]:
    """Every row an import could write, history records included."""
    counts = {model.__name__: model.objects.count() for model in MODELS}
    counts.update({f"history-{model.__name__}": model.history.count() for model in MODELS})
    return counts
