"""Re-assessing from an approved baseline: everything carried over, linked, refused for a
draft; the deltas on a real pair (threats new, gone, changed with arrows and words;
groups and responses; indicator trends) on the overview and in the brief."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.briefs.render import brief_html
from assessments.content.services import group_save, response_save, threat_delete, threat_save
from assessments.models import Assessment, Indicator
from assessments.monitoring.deltas import deltas_of, series_of
from assessments.monitoring.reassess import assessment_reassess
from assessments.monitoring.services import reading_record
from tests.factories import (
    ComponentTagFactory,
    IndicatorFactory,
    PopulationGroupFactory,
    ResponseFactory,
    ThreatFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def baseline(monitored) -> Assessment:
    a = monitored.assessment
    women = PopulationGroupFactory(assessment=a, name="Displaced women")
    PopulationGroupFactory(assessment=a, name="Hidden minority", sensitive=True)
    cholera = monitored.indicator.threat
    cholera.affected_groups.add(women)
    ComponentTagFactory(threat=cholera)
    floods = ThreatFactory(assessment=a, title="Floods", likelihood=2, severity=2)
    IndicatorFactory(threat=floods, name="River level", threshold_kind="above", threshold_value=5)
    response = ResponseFactory(assessment=a, title="Chlorinate wells", groups=[women])
    response.threats.add(cholera)
    reading_record(
        indicator=monitored.indicator,
        user=monitored.users["owner"],
        date=date.today() - timedelta(days=70),
        value="40",
    )
    return a


def test_a_reassessment_carries_everything_over_and_links_its_baseline(monitored, baseline):
    result = assessment_reassess(baseline=baseline, user=monitored.users["supervisor"])

    draft = result.assessment
    assert draft.status == "draft" and draft.baseline == baseline
    assert draft.owner == monitored.users["supervisor"] and draft.team == baseline.team
    assert sorted(t.ref for t in draft.threats.all()) == ["T1", "T2"]
    cholera = draft.threats.get(number=1)
    assert cholera.tags.count() == 1
    assert [g.name for g in cholera.affected_groups.all()] == ["Displaced women"]
    indicator = cholera.indicators.get()
    assert (indicator.threshold_kind, indicator.threshold_value) == ("above", Decimal(100))
    assert indicator.frequency_days == 30 and not indicator.readings.exists()
    response = draft.responses.get()
    assert [g.name for g in response.groups.all()] == ["Displaced women"]
    assert list(response.threats.all()) == [cholera]
    assert set(draft.groups.values_list("name", flat=True)) == {
        "Displaced women",
        "Hidden minority",
    }
    assert result.moved_to is None and result.stayed_because == []
    assert series_of(draft) == [baseline, draft]
    assert deltas_of(draft).empty


def test_a_reassessment_is_written_in_the_baselines_language(monitored, baseline):
    Assessment.objects.filter(pk=baseline.pk).update(language="fr")
    baseline.refresh_from_db()

    result = assessment_reassess(baseline=baseline, user=monitored.users["supervisor"])

    assert result.assessment.language == "fr"


def test_a_draft_cannot_be_reassessed(monitored):
    Assessment.objects.filter(pk=monitored.assessment.pk).update(status="draft", approved_at=None)
    monitored.assessment.refresh_from_db()

    with pytest.raises(ValidationError, match="Only an approved assessment can be re-assessed"):
        assessment_reassess(baseline=monitored.assessment, user=monitored.users["owner"])
    assert not Assessment.objects.filter(baseline__isnull=False).exists()


def test_reassess_page_refuses_a_draft_with_a_message(client, monitored):
    Assessment.objects.filter(pk=monitored.assessment.pk).update(status="draft", approved_at=None)
    client.force_login(monitored.users["owner"])

    response = client.post(reverse("assessments:reassess", args=[monitored.assessment.pk]))

    assert response["Location"] == reverse("assessments:detail", args=[monitored.assessment.pk])
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Only an approved assessment can be re-assessed; this one is draft." in messages[0]


@pytest.mark.parametrize(("role", "status"), [("teammate", 403), ("outsider", 404)])
def test_reassess_is_for_authors_and_supervisors(client, monitored, role, status):
    client.force_login(monitored.users[role])

    response = client.post(reverse("assessments:reassess", args=[monitored.assessment.pk]))

    assert response.status_code == status
    assert not Assessment.objects.filter(baseline__isnull=False).exists()


def _change_the_draft(monitored, draft: Assessment) -> None:
    user = draft.owner
    cholera = draft.threats.get(number=1)
    threat_save(
        assessment=draft,
        user=user,
        threat=cholera,
        base_version=cholera.version,
        affected_groups=list(cholera.affected_groups.all()),
        tags={},
        title=cholera.title,
        dimension=cholera.dimension,
        likelihood=5,
        severity=cholera.severity,
        urgency=1,
    )
    threat_delete(assessment=draft, threat=draft.threats.get(number=2), user=user)
    threat_save(
        assessment=draft,
        user=user,
        title="Land disputes",
        dimension=cholera.dimension,
        likelihood=3,
        severity=4,
        urgency=3,
    )
    group_save(assessment=draft, user=user, name="Older men")
    response_save(assessment=draft, user=user, title="Mediation committees", strategy="solidarity")
    reading_record(
        indicator=Indicator.objects.get(threat__assessment=draft, name="Suspected cases a week"),
        user=user,
        date=date.today(),
        value="130",
    )


def test_the_deltas_of_a_real_pair(monitored, baseline):
    draft = assessment_reassess(baseline=baseline, user=monitored.users["owner"]).assessment
    _change_the_draft(monitored, draft)

    d = deltas_of(draft)

    assert [t.title for t in d.new_threats] == ["Land disputes"]
    assert [t.title for t in d.gone_threats] == ["Floods"]
    (change,) = d.changed
    assert [(m.label, m.old, m.new, m.arrow, m.word) for m in change.moves] == [
        ("likelihood", 3, 5, "↑", "rose"),
        ("urgency", 2, 1, "↓", "fell"),
    ]
    assert change.tags_removed and not change.tags_added
    assert [g.name for g in d.groups_added] == ["Older men"] and d.groups_removed == []
    assert [r.title for r in d.responses_added] == ["Mediation committees"]
    (trend,) = [t for t in d.trends if t.indicator.name == "Suspected cases a week"]
    assert (trend.before, trend.now, trend.arrow, trend.word) == ("40", "130", "↑", "rose")


def test_the_overview_and_the_brief_show_the_deltas(client, monitored, baseline):
    draft = assessment_reassess(baseline=baseline, user=monitored.users["owner"]).assessment
    _change_the_draft(monitored, draft)
    client.force_login(monitored.users["teammate"])

    page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()

    assert "What changed since the baseline" in page
    assert "↑ likelihood rose from 3 to 5" in page
    assert "This context over time" in page
    html, _art = brief_html(Assessment.objects.get(pk=draft.pk))
    assert "What changed since the baseline" in html and "urgency fell from 2 to 1" in html
    public, _art = brief_html(Assessment.objects.get(pk=draft.pk), public=True)
    assert "What changed since the baseline" in public


def test_the_public_brief_leaves_out_a_sensitive_group_in_the_deltas(monitored, baseline):
    draft = assessment_reassess(baseline=baseline, user=monitored.users["owner"]).assessment
    draft.groups.get(name="Hidden minority").delete()

    restricted, _art = brief_html(Assessment.objects.get(pk=draft.pk))
    public, _art = brief_html(Assessment.objects.get(pk=draft.pk), public=True)

    assert "Hidden minority removed" in restricted
    assert "Hidden minority" not in public


def _newer_version(base, *, remove_dimension=None):
    from frameworks import editing
    from frameworks.services import version_new_draft, version_publish

    draft = version_new_draft(version=base)
    prompt = draft.sections.order_by("order").first().prompts.order_by("order").first()
    editing.studio_save(version=draft, kind="prompt", pk=prompt.pk, data={"text": "Reworded?"})
    if remove_dimension is not None:
        gone = draft.dimensions.get(key=remove_dimension.key)
        editing.studio_remove(version=draft, kind="dimension", pk=gone.pk)
    return version_publish(version=draft, changelog="For the re-assessment tests.")


def test_a_reassessment_moves_to_the_latest_version_when_nothing_blocks(monitored, baseline):
    newer = _newer_version(baseline.framework_version)

    result = assessment_reassess(baseline=baseline, user=monitored.users["owner"])

    assert result.moved_to == newer.number and result.stayed_because == []
    assert result.assessment.framework_version == newer
    assert baseline.framework_version != newer
    assert sorted(t.ref for t in result.assessment.threats.all()) == ["T1", "T2"]


def test_a_reassessment_stays_on_the_baselines_version_and_says_why(client, monitored, baseline):
    dimension = monitored.indicator.threat.dimension
    _newer_version(baseline.framework_version, remove_dimension=dimension)
    client.force_login(monitored.users["supervisor"])

    response = client.post(reverse("assessments:reassess", args=[baseline.pk]))

    draft = Assessment.objects.get(baseline=baseline)
    assert response["Location"] == reverse("assessments:detail", args=[draft.pk])
    assert draft.framework_version == baseline.framework_version
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(
        "stays on the baseline's framework version" in m and dimension.name in m for m in shown
    )
