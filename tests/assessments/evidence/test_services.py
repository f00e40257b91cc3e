"""Sources, quotes and citations written through the services: numbers, grades, the
sensitive default, consent, the no-names rule and the same-assessment checks."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments.content.services import response_save, threat_save
from assessments.evidence.services import quote_delete, quote_save, source_delete, source_save
from assessments.models import Quote, Source
from tests.factories import (
    AssessmentFactory,
    PopulationGroupFactory,
    SourceFactory,
    ThreatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _source(assessment, user, **fields):
    values = {"kind": "report", "title": "Camp survey", "reliability": "B", "credibility": 2}
    return source_save(assessment=assessment, user=user, **{**values, **fields})


def test_sources_are_numbered_once_and_numbers_are_not_reused(assessment, practitioner):
    first = _source(assessment, practitioner)
    second = _source(assessment, practitioner, title="Radio report")
    source_delete(assessment=assessment, source=second, user=practitioner)

    third = _source(assessment, practitioner, title="Market visit")

    assert (first.ref, third.ref) == ("S1", "S3")
    assert first.grade == "B2"


def test_an_import_keeps_its_number_when_free(assessment, practitioner):
    kept = _source(assessment, practitioner, number=7)
    clash = _source(assessment, practitioner, number=7)

    assert (kept.number, clash.number) == (7, 8)


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"reliability": "G"}, "reliability"), ({"credibility": 7}, "credibility")],
)
def test_grades_out_of_the_scale_are_refused(assessment, practitioner, fields, field):
    with pytest.raises(ValidationError) as refused:
        _source(assessment, practitioner, **fields)

    assert field in refused.value.message_dict
    assert not Source.objects.exists()


@pytest.mark.parametrize("values", [{"reliability": "Z"}, {"credibility": 0}, {"title": ""}])
def test_the_database_refuses_grades_out_of_range(assessment, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(assessment=assessment, **values)


def test_a_new_interview_is_sensitive_unless_said_otherwise(assessment, practitioner):
    interview = _source(assessment, practitioner, kind="interview", title="Elder")
    said = _source(assessment, practitioner, kind="interview", title="Nurse", sensitive=False)
    report = _source(assessment, practitioner, kind="report")

    assert (interview.sensitive, said.sensitive, report.sensitive) == (True, False, False)


def test_an_edit_from_an_old_version_is_a_conflict(assessment, practitioner):
    from assessments.core.services import EditConflict

    source = _source(assessment, practitioner)
    _source(assessment, practitioner, source=source, base_version=1, title="Renamed")

    with pytest.raises(EditConflict):
        _source(assessment, practitioner, source=source, base_version=1, title="Again")
    assert Source.objects.get().title == "Renamed"


def _quote(assessment, user, **fields):
    group = fields.pop("group", None) or PopulationGroupFactory(assessment=assessment)
    source = fields.pop("source", None) or SourceFactory(assessment=assessment)
    values = {"text": "The road floods every year.", "language": "Hausa", "consent": "internal"}
    return quote_save(
        assessment=assessment, user=user, group=group, source=source, **{**values, **fields}
    )


def test_a_quote_is_internal_unless_consent_is_given(assessment, practitioner):
    quote = _quote(assessment, practitioner)
    published = _quote(assessment, practitioner, consent="publication")

    assert (quote.publishable, published.publishable) == (False, True)
    assert Quote.objects.count() == 2


def test_a_quote_refuses_an_unknown_consent(assessment, practitioner):
    with pytest.raises(ValidationError) as refused:
        _quote(assessment, practitioner, consent="maybe")

    assert "consent" in refused.value.message_dict


@pytest.mark.parametrize("text", ["Pat said the road floods.", "ask PAT", "Okafor knows"])
def test_a_quote_naming_a_team_member_is_refused(assessment, practitioner, text):
    practitioner.first_name, practitioner.last_name = "Patience", "Okafor"
    practitioner.save()

    with pytest.raises(ValidationError) as refused:
        _quote(assessment, practitioner, text=text)

    assert "no personal names" in refused.value.message_dict["text"][0]
    assert not Quote.objects.exists()


def test_a_name_inside_another_word_is_not_a_name(assessment, practitioner):
    quote = _quote(assessment, practitioner, text="The pathway to the well is cut.")

    assert quote.pk


def test_a_quote_of_another_assessments_source_or_group_is_refused(assessment, practitioner):
    other = AssessmentFactory(team=assessment.team, framework_version=assessment.framework_version)

    with pytest.raises(ValidationError) as refused:
        _quote(
            assessment,
            practitioner,
            source=SourceFactory(assessment=other),
            group=PopulationGroupFactory(assessment=other),
        )

    assert set(refused.value.message_dict) == {"source", "group"}
    assert not Quote.objects.exists()


def test_deleting_a_source_keeps_its_quotes_unattributed(assessment, practitioner):
    quote = _quote(assessment, practitioner)
    source_delete(assessment=assessment, source=quote.source, user=practitioner)

    quote.refresh_from_db()
    assert quote.source is None
    quote_delete(assessment=assessment, quote=quote, user=practitioner)
    assert not Quote.objects.exists()


def test_threats_and_responses_cite_sources_of_their_assessment(assessment, practitioner):
    source = SourceFactory(assessment=assessment)
    threat = ThreatFactory(assessment=assessment)
    fields = {"title": threat.title, "dimension": threat.dimension, "likelihood": 3}
    threat = threat_save(
        assessment=assessment,
        user=practitioner,
        threat=threat,
        base_version=1,
        sources=[source],
        **fields,
    )
    response = response_save(
        assessment=assessment,
        user=practitioner,
        title="Radio alerts",
        strategy="protection",
        sources=[source],
    )

    assert list(threat.sources.all()) == [source]
    assert list(response.sources.all()) == [source]


def test_a_citation_to_another_assessments_or_a_deleted_source_is_refused(assessment, practitioner):
    other = AssessmentFactory(team=assessment.team, framework_version=assessment.framework_version)
    foreign = SourceFactory(assessment=other)
    gone = SourceFactory(assessment=assessment)
    Source.objects.filter(pk=gone.pk).delete()

    for cited in ([foreign], [gone]):
        with pytest.raises(ValidationError) as refused:
            response_save(
                assessment=assessment,
                user=UserFactory(),
                title="Half-saved?",
                strategy="protection",
                sources=cited,
            )
        assert (
            "deleted or belongs to another assessment" in refused.value.message_dict["sources"][0]
        )
    assert not assessment.responses.exists()


def test_a_refused_source_leaves_no_file_behind(assessment, practitioner, settings):
    from assessments.evidence.files import Attachment

    with pytest.raises(ValidationError):
        _source(
            assessment,
            practitioner,
            reliability="Z",
            attachment=Attachment("notes.txt", "text/plain", b"notes"),
        )

    media = settings.MEDIA_ROOT
    assert not Source.objects.exists()
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_the_201st_source_and_the_101st_quote_are_refused_naming_the_limit(
    assessment, practitioner
):
    from assessments import limits

    Source.objects.bulk_create(
        Source(assessment=assessment, number=n + 1, kind="report", title=f"Report {n}")
        for n in range(limits.SOURCES)
    )
    Quote.objects.bulk_create(
        Quote(assessment=assessment, text=f"Words {n}", language="Hausa", consent="internal")
        for n in range(limits.QUOTES)
    )

    with pytest.raises(ValidationError) as refused:
        _source(assessment, practitioner, title="One more")
    assert refused.value.messages == ["An assessment holds at most 200 sources."]
    with pytest.raises(ValidationError) as refused:
        _quote(assessment, practitioner, source=assessment.sources.first(), text="One more")
    assert refused.value.messages == ["An assessment holds at most 100 quotes."]
    assert (assessment.sources.count(), assessment.quotes.count()) == (200, 100)
