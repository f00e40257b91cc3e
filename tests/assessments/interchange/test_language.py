"""The export and import carry the language of the analysis; a file from before it
existed is English; an unknown language is refused and nothing is written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from assessments.content.selectors import AssessmentData
from assessments.interchange.document import assessment_document
from assessments.interchange.importer import import_assessment
from tests.assessments.interchange.conftest import import_rows
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def test_the_export_says_the_language(team, practitioner, version):
    a = AssessmentFactory(team=team, owner=practitioner, framework_version=version, language="fr")

    assert assessment_document(AssessmentData(a))["assessment"]["language"] == "fr"


def test_the_import_keeps_the_language(exported, practitioner, team):
    exported["assessment"]["language"] = "ar"

    imported = import_assessment(document=exported, owner=practitioner, team=team)

    assert imported.language == "ar"


def test_a_file_from_before_languages_is_english(exported, practitioner, team):
    del exported["assessment"]["language"]

    imported = import_assessment(document=exported, owner=practitioner, team=team)

    assert imported.language == "en"


@pytest.mark.parametrize("language", ["de", "", "english", 7])
def test_an_unknown_language_is_refused_and_nothing_is_written(
    exported, practitioner, team, language
):
    exported["assessment"]["language"] = language
    before = import_rows()

    with pytest.raises(ValidationError) as refused:
        import_assessment(document=exported, owner=practitioner, team=team)

    assert any("assessment.language" in m for m in refused.value.messages)
    assert import_rows() == before
