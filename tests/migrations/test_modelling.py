"""Migrations 0014-0016 (issue 13, item 5) carry existing data over: a threat keeps its
dimension as the primary one, a response's group becomes its set of groups, a group's
age band becomes the range it stood for (in the history too). And back again.

Rows are written at 0013 through the migration state's models (not ours, which no longer
have `group` or `age_band`), then the migrations run forward.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from tests.factories import AssessmentFactory
from tests.migrations.bands import AGE_RANGES

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The frameworks app at its newest on both sides: only the assessments' steps are tested.
FRAMEWORKS = ("frameworks", "0004_translations")
BEFORE = [("assessments", "0013_assessment_language"), FRAMEWORKS]
AFTER = [("assessments", "0016_group_age_range"), FRAMEWORKS]


@pytest.fixture(scope="module", autouse=True)
def _start_from_an_empty_database(django_db_setup, django_db_blocker):
    # As in test_forward.py: a flush by an earlier transactional test must not collide
    # with the rows serialized_rollback restores.
    with django_db_blocker.unblock():
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _world(apps):
    """At 0013: an assessment with a group of each band, two threats, three responses."""
    User = apps.get_model("auth", "User")
    Team = apps.get_model("assessments", "Team")
    Assessment = apps.get_model("assessments", "Assessment")
    Group = apps.get_model("assessments", "PopulationGroup")
    HistoricalGroup = apps.get_model("assessments", "HistoricalPopulationGroup")
    Threat = apps.get_model("assessments", "Threat")
    Response = apps.get_model("assessments", "Response")
    Framework = apps.get_model("frameworks", "Framework")
    Version = apps.get_model("frameworks", "FrameworkVersion")
    Dimension = apps.get_model("frameworks", "Dimension")
    user = User.objects.create(username="mig")
    team = Team.objects.create(name="Mig", slug="mig")
    framework = Framework.objects.create(name="Lens", slug="mig-lens")
    version = Version.objects.create(
        framework=framework, number=1, status="published", published_at="2026-01-01T00:00:00Z"
    )
    political = Dimension.objects.create(version=version, key="political", name="Political")
    food = Dimension.objects.create(version=version, key="food", name="Food")
    assessment = Assessment.objects.create(
        title="Before the modelling", team=team, owner=user, framework_version=version
    )
    groups = {
        band: Group.objects.create(assessment=assessment, name=f"Group {band}", age_band=band)
        for band in AGE_RANGES
    }
    for band, group in groups.items():
        HistoricalGroup.objects.create(
            id=group.pk,
            assessment_id=assessment.pk,
            name=group.name,
            sex="all",
            age_band=band,
            version=1,
            history_date="2026-01-01T00:00:00Z",
            history_type="+",
        )
    threats = [
        Threat.objects.create(
            assessment=assessment,
            number=n,
            title=f"Threat {n}",
            dimension=dimension,
            likelihood=3,
            severity=4,
            urgency=2,
        )
        for n, dimension in ((1, political), (2, food))
    ]
    served = Response.objects.create(
        assessment=assessment, title="Served", strategy="protection", group=groups["older"]
    )
    other = Response.objects.create(
        assessment=assessment, title="Other", strategy="solidarity", group=groups["0-5"]
    )
    nobody = Response.objects.create(assessment=assessment, title="Nobody", strategy="empowerment")
    return {
        "groups": {band: g.pk for band, g in groups.items()},
        "threats": {t.pk: t.dimension_id for t in threats},
        "responses": {served.pk: groups["older"].pk, other.pk: groups["0-5"].pk, nobody.pk: None},
    }


def test_existing_threats_responses_and_groups_are_carried_over():
    try:
        world = _world(_migrate(BEFORE))
        apps = _migrate(AFTER)
        Group = apps.get_model("assessments", "PopulationGroup")
        HistoricalGroup = apps.get_model("assessments", "HistoricalPopulationGroup")
        Threat = apps.get_model("assessments", "Threat")
        Response = apps.get_model("assessments", "Response")

        for band, pk in world["groups"].items():
            group = Group.objects.get(pk=pk)
            assert (group.age_from, group.age_to) == AGE_RANGES[band], band
            past = HistoricalGroup.objects.get(id=pk)
            assert (past.age_from, past.age_to) == AGE_RANGES[band], band
        for pk, dimension_id in world["threats"].items():
            threat = Threat.objects.get(pk=pk)
            assert threat.dimension_id == dimension_id
            assert not threat.further_dimensions.exists()
        for pk, group_id in world["responses"].items():
            groups = list(Response.objects.get(pk=pk).groups.values_list("pk", flat=True))
            assert groups == ([group_id] if group_id else [])

        # And back: the bands and the single group return.
        apps = _migrate(BEFORE)
        Group = apps.get_model("assessments", "PopulationGroup")
        Response = apps.get_model("assessments", "Response")
        assert {
            band: Group.objects.get(pk=pk).age_band for band, pk in world["groups"].items()
        } == {band: band for band in AGE_RANGES}
        assert {pk: Response.objects.get(pk=pk).group_id for pk in world["responses"]} == world[
            "responses"
        ]
    finally:
        _latest()


def test_a_range_the_database_refuses():
    """The check constraint holds whatever writes: upside down, or an upper age alone."""
    assessment = AssessmentFactory()
    Group = assessment.groups.model
    for ages in ({"age_from": 30, "age_to": 29}, {"age_to": 17}, {"age_from": 121}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Group.objects.create(assessment=assessment, name=str(ages), **ages)
    assert not assessment.groups.exists()
