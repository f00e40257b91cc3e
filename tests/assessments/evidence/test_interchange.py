"""Evidence in export.json and threats.csv, and back through the import: sources, quotes
and citations survive the round trip; files travel as references and are reported
missing; a bad reference fails the whole import."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError

from assessments.content.selectors import AssessmentData
from assessments.evidence.files import Attachment
from assessments.evidence.services import source_save
from assessments.interchange.document import assessment_document
from assessments.interchange.importer import import_assessment
from assessments.interchange.spreadsheet import export_threats_csv
from assessments.models import Assessment, Quote, Source
from tests.factories import (
    AnswerFactory,
    IndicatorFactory,
    PopulationGroupFactory,
    QuoteFactory,
    ResponseFactory,
    ThreatFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited(assessment, practitioner):
    report = source_save(
        assessment=assessment,
        user=practitioner,
        kind="report",
        title="Protection monitoring, March",
        date="2025-03-31",
        author="Protection cluster",
        reliability="B",
        credibility=2,
        sensitive=False,
        attachment=Attachment("monitoring.pdf", "application/pdf", b"%PDF-1.7 report"),
    )
    interview = source_save(
        assessment=assessment, user=practitioner, kind="interview", title="Camp leader"
    )
    group = PopulationGroupFactory(assessment=assessment, name="Herders")
    threat = ThreatFactory(assessment=assessment, title="Cattle raids")
    threat.sources.set([report, interview])
    IndicatorFactory(threat=threat, name="Raids reported").sources.add(report)
    response = ResponseFactory(assessment=assessment, title="Patrols")
    response.sources.add(interview)
    AnswerFactory(assessment=assessment).sources.add(report)
    quote = QuoteFactory(
        assessment=assessment,
        group=group,
        source=interview,
        text="We move at night now.",
        consent="publication",
    )
    quote.threats.add(threat)
    return assessment


def test_the_export_carries_sources_quotes_and_citations(cited):
    document = assessment_document(AssessmentData(cited))

    s1, s2 = document["sources"]
    assert (s1["ref"], s1["grade"] if "grade" in s1 else s1["reliability"]) == ("S1", "B")
    assert s1["file"]["name"] == "monitoring.pdf"
    assert len(s1["file"]["sha256"]) == 64
    assert "data" not in s1["file"] and "content" not in s1["file"]
    assert s2["sensitive"] is True and s2["file"] is None
    assert document["threats"][0]["sources"] == ["S1", "S2"]
    assert document["threats"][0]["indicators"][0]["sources"] == ["S1"]
    assert document["responses"][0]["sources"] == ["S2"]
    assert document["answers"][0]["sources"] == ["S1"]
    assert document["quotes"] == [
        {
            "text": "We move at night now.",
            "language": "Hausa",
            "translation": "",
            "consent": "publication",
            "group": "Herders",
            "source": "S2",
            "threats": ["T1"],
        }
    ]


def test_an_assessment_without_evidence_exports_as_before(assessment):
    document = assessment_document(AssessmentData(assessment))

    assert "sources" not in document and "quotes" not in document


def test_the_round_trip_keeps_the_evidence_and_names_the_missing_files(cited, practitioner):
    document = assessment_document(AssessmentData(cited))

    copy = import_assessment(document=document, owner=practitioner, team=cited.team)

    assert copy.missing_files == [
        {
            "source": "S1",
            "name": "monitoring.pdf",
            "type": "application/pdf",
            "size": 15,
            "sha256": document["sources"][0]["file"]["sha256"],
        }
    ]
    # The re-export still names the file: it is missing here, not gone from the record.
    again = assessment_document(AssessmentData(copy))
    assert again | {"assessment": None} == document | {"assessment": None}
    source = copy.sources.get(number=1)
    assert (source.file_name, bool(source.file)) == ("monitoring.pdf", False)


def test_the_threats_csv_lists_each_threats_sources(cited):
    _name, _type, data = export_threats_csv(AssessmentData(cited))

    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert rows[0]["sources"] == "S1; S2"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda d: d["threats"][0].update(sources=["S9"]), "threats[0].sources: unknown source S9"),
        (lambda d: d["quotes"][0].update(source="S9"), "quotes[0].source: unknown 'S9'"),
        (lambda d: d["quotes"][0].update(group="Nobody"), "quotes[0].group: unknown 'Nobody'"),
        (lambda d: d["sources"][0].update(credibility=9), "sources[0].credibility"),
        (lambda d: d["sources"][0].update(credibility="2"), "sources[0].credibility: wrong type"),
        (lambda d: d["quotes"][0].update(consent="yes"), "quotes[0].consent"),
    ],
)
def test_a_bad_evidence_reference_fails_the_whole_import(cited, practitioner, change, says):
    document = assessment_document(AssessmentData(cited))
    change(document)
    before = (Assessment.objects.count(), Source.objects.count(), Quote.objects.count())

    with pytest.raises(ValidationError) as refused:
        import_assessment(document=document, owner=practitioner, team=cited.team)

    assert any(says in m for m in refused.value.messages), refused.value.messages
    assert (Assessment.objects.count(), Source.objects.count(), Quote.objects.count()) == before
