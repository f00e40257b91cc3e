"""seed_demo and its sample assessment: created once, complete enough to show every page,
loaded from sample.json through the importer with who wrote what in its history."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils.html import escape

from assessments.content.selectors import AssessmentData
from assessments.demo.sample import DELIBERATE_GAP, SAMPLE_TITLE, create_sample, sample_document
from assessments.interchange.document import assessment_document
from assessments.lens import lens_gaps
from assessments.models import (
    Answer,
    Assessment,
    ComponentTag,
    Indicator,
    Membership,
    PopulationGroup,
    Response,
    Team,
    Threat,
)
from frameworks.models import Prompt
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def seed_demo() -> str:
    out = StringIO()
    # Tests run with DEBUG off, where the command refuses without --force.
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def sample() -> Assessment:
    return Assessment.objects.get(title=SAMPLE_TITLE)


def counts(assessment: Assessment) -> dict[str, int]:
    return {
        "threats": assessment.threats.count(),
        "groups": assessment.groups.count(),
        "responses": assessment.responses.count(),
        "answers": assessment.answers.count(),
        "tags": ComponentTag.objects.filter(threat__assessment=assessment).count(),
        "indicators": Indicator.objects.filter(threat__assessment=assessment).count(),
    }


def every_row() -> dict[str, int]:
    """Rows of everything seed_demo writes, history records included."""
    content = (Assessment, Answer, PopulationGroup, Threat, ComponentTag, Indicator, Response)
    rows = {model.__name__: model.objects.count() for model in (*content, Team, Membership)}
    rows.update({f"history-{model.__name__}": model.history.count() for model in content})
    rows["users"] = get_user_model().objects.count()
    return rows


@pytest.fixture
def seeded():
    seed_demo()
    return sample()


def test_seeding_twice_leaves_exactly_one_sample_with_the_same_content():
    seed_demo()
    first = sample()
    before = counts(first)
    first_updated = first.updated_at

    seed_demo()

    assert Assessment.objects.filter(title=SAMPLE_TITLE).count() == 1
    again = sample()
    assert again.pk == first.pk
    assert counts(again) == before
    assert again.updated_at == first_updated
    assert before["threats"] >= 7
    assert before["groups"] >= 4
    assert before["responses"] >= 5


def test_seeding_twice_writes_no_row_at_all():
    seed_demo()
    before = every_row()

    seed_demo()

    assert every_row() == before
    assert before["Assessment"] == 2  # the sample and its baseline (demo/monitoring.py)
    assert before["history-Threat"] == before["Threat"]


def test_the_sample_is_the_json_document_it_was_loaded_from(seeded):
    document = sample_document()

    exported = assessment_document(AssessmentData(seeded))
    # The demo links the sample to its baseline (demo/monitoring.py); the file names none.
    assert exported["assessment"].pop("baseline")["title"].endswith("(baseline, autumn 2025)")
    assert exported == document
    assert document["assessment"]["title"] == SAMPLE_TITLE
    gap = [t for t in document["threats"] if t["title"] == DELIBERATE_GAP]
    assert len(gap) == 1 and gap[0]["indicators"] == []


def test_the_history_says_the_colleague_wrote_means_prevention_and_responses(seeded):
    by_section: dict[str, set[str]] = {}
    for record in Answer.history.filter(assessment=seeded).select_related(
        "history_user", "prompt__section"
    ):
        by_section.setdefault(record.prompt.section.key, set()).add(record.history_user.username)

    assert by_section.pop("means") == {"colleague"}
    assert by_section.pop("prevention") == {"colleague"}
    assert by_section and set().union(*by_section.values()) == {"practitioner"}
    answers = Answer.objects.filter(assessment=seeded)
    assert {a.updated_by.username for a in answers.filter(prompt__section__key="means")} == {
        "colleague"
    }
    responses = Response.history.filter(assessment=seeded)
    assert {r.history_user.username for r in responses} == {"colleague"}
    for model in (Threat, PopulationGroup, ComponentTag, Indicator):
        records = model.history.all()
        assert records and {r.history_user.username for r in records} == {"practitioner"}
    assert {r.history_user.username for r in seeded.history.all()} == {"practitioner"}


def test_the_sample_belongs_to_the_practitioner_in_north_with_the_colleague(seeded):
    assert seeded.owner.username == "practitioner"
    assert seeded.team.slug == "north"
    assert [u.username for u in seeded.collaborators.all()] == ["colleague"]
    assert seeded.status == Assessment.Status.DRAFT
    assert seeded.country and seeded.area and seeded.period_start and seeded.period_end
    assert len(seeded.key_point_list) == 3


def test_every_prompt_of_the_pinned_version_is_answered(seeded):
    prompts = Prompt.objects.filter(section__version=seeded.framework_version)
    answered = Answer.objects.filter(assessment=seeded).exclude(text="")

    assert prompts.exists()
    assert set(answered.values_list("prompt_id", flat=True)) == set(
        prompts.values_list("pk", flat=True)
    )


def test_threats_span_five_dimensions_each_tagged_and_linked_to_a_group(seeded):
    threats = list(seeded.threats.prefetch_related("tags", "affected_groups"))

    assert len({t.dimension_id for t in threats}) >= 5
    for threat in threats:
        assert threat.tags.all(), threat.title
        assert all(tag.rationale.strip() for tag in threat.tags.all())
        assert threat.affected_groups.all(), threat.title
    assert any(t.actor_type == "state" for t in threats)
    assert any(t.basis == "perceived" for t in threats)
    assert Indicator.objects.filter(threat__assessment=seeded, kind="trigger").exists()


def test_groups_are_disaggregated_and_one_is_sensitive(seeded):
    groups = list(seeded.groups.all())

    assert all(g.is_disaggregated for g in groups)
    assert any(g.sensitive for g in groups)


def test_responses_mix_strategies_statuses_and_prevention(seeded):
    responses = list(seeded.responses.prefetch_related("threats", "groups"))

    assert {r.strategy for r in responses} == {"protection", "empowerment", "solidarity"}
    assert {r.status for r in responses} == {"existing", "gap", "recommended"}
    assert any(r.preventive for r in responses)
    for response in responses:
        assert response.threats.all(), response.title
        assert response.groups.all(), response.title
    # One serves two groups, and one threat looks across further dimensions.
    assert max(len(r.groups.all()) for r in responses) == 2
    assert seeded.threats.filter(further_dimensions__isnull=False).exists()


def test_the_lens_check_finds_only_the_deliberate_gap(seeded):
    gaps = lens_gaps(AssessmentData(seeded))

    assert len(gaps) == 1
    assert DELIBERATE_GAP in gaps[0]


def test_the_overview_renders_for_the_practitioner(seeded, client):
    client.force_login(seeded.owner)

    response = client.get(f"/assessments/{seeded.pk}/")

    assert response.status_code == 200
    threat = seeded.threats.order_by("pk").first()
    assert escape(threat.title) in response.content.decode()


def test_create_sample_returns_an_existing_one_unchanged(version, team, practitioner):
    colleague = MembershipFactory(team=team, user=UserFactory(username="chen")).user
    made = create_sample(version=version, team=team, owner=practitioner, collaborator=colleague)
    before = counts(made)

    again = create_sample(version=version, team=team, owner=practitioner, collaborator=colleague)

    assert again.pk == made.pk
    assert counts(again) == before
    assert Assessment.objects.filter(team=team, title=SAMPLE_TITLE).count() == 1


def test_the_demo_has_a_baseline_with_two_crossings_on_the_board(client):
    from assessments.demo.monitoring import BASELINE_TITLE
    from assessments.monitoring.deltas import deltas_of
    from assessments.monitoring.portfolio import portfolio_for
    from assessments.monitoring.selectors import board_for

    seed_demo()
    seed_demo()  # a second run adds nothing
    baseline = Assessment.objects.get(title=BASELINE_TITLE)
    supervisor = get_user_model().objects.get(username="supervisor")

    assert baseline.status == "approved" and sample().baseline == baseline
    assert Assessment.objects.filter(title=BASELINE_TITLE).count() == 1
    crossed = [s.indicator.name for s in board_for(supervisor) if s.status == "crossed"]
    assert sorted(crossed) == [
        "Sorghum price at Dembel market",
        ("Weekly acute watery diarrhoea cases in the sites"),
    ]
    deltas = deltas_of(sample())
    assert [t.title for t in deltas.new_threats] == [
        "Online hate speech against the Dawri ahead of the elections"
    ]
    assert len(deltas.changed) == 2
    (row,) = portfolio_for(supervisor).rows
    assert row.assessment == sample() and row.series == 2
