"""Seed one assessment of a given size for the benchmarks (fast: bulk inserts)."""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model

from assessments.demo.seed import DEFAULT_FRAMEWORK
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
from frameworks.documents import parse
from frameworks.models import FrameworkVersion, Prompt
from frameworks.services import framework_import


def default_version() -> FrameworkVersion:
    existing = FrameworkVersion.objects.filter(framework__slug="human-security-lens").first()
    if existing:
        return existing
    version, _ = framework_import(document=parse(DEFAULT_FRAMEWORK.read_bytes()), publish=True)
    return version


def seed_assessment(*, threats: int, label: str, groups: int = 8, responses: int = 20):
    rng = random.Random(threats)
    version = default_version()
    team, _ = Team.objects.get_or_create(slug="bench", defaults={"name": "Bench team"})
    owner, _ = get_user_model().objects.get_or_create(username=f"bench-{label}")
    Membership.objects.get_or_create(team=team, user=owner)
    assessment = Assessment.objects.create(
        title=f"Benchmark assessment {label}",
        team=team,
        owner=owner,
        framework_version=version,
        country="Ardania",
        area="Harra province",
        population_focus="Displaced and host communities",
        key_points="Point one\nPoint two\nPoint three",
    )
    Answer.objects.bulk_create(
        Answer(assessment=assessment, prompt=p, text=f"Answer to {p.key}. " * 20, updated_by=owner)
        for p in Prompt.objects.filter(section__version=version)
    )
    group_objs = PopulationGroup.objects.bulk_create(
        PopulationGroup(
            assessment=assessment,
            name=f"Group {i}",
            sex="female",
            displacement_status="idp",
            estimated_size=1000 * (i + 1),
            description="People living in the sites. " * 5,
        )
        for i in range(groups)
    )
    dimensions = list(version.dimensions.all())
    components = list(version.components.all())
    threat_objs = Threat.objects.bulk_create(
        Threat(
            assessment=assessment,
            number=i + 1,
            title=f"Threat {i}: "
            + rng.choice(["water scarcity", "armed raids", "price spikes", "cholera", "detention"]),
            description="What happens, to whom and where. " * 6,
            dimension=dimensions[i % len(dimensions)],
            likelihood=rng.randint(1, 5),
            severity=rng.randint(1, 5),
            urgency=rng.randint(1, 4),
            root_causes="Long-standing neglect of the border districts. " * 3,
            source_actor="Armed group",
        )
        for i in range(threats)
    )
    through = Threat.affected_groups.through
    through.objects.bulk_create(
        through(threat_id=t.pk, populationgroup_id=group_objs[i % groups].pk)
        for i, t in enumerate(threat_objs)
    )
    ComponentTag.objects.bulk_create(
        ComponentTag(threat=t, component=c, rationale="Why it matters for this component.")
        for t in threat_objs
        for c in components[: 1 + t.pk % 3]
    )
    Indicator.objects.bulk_create(
        Indicator(
            threat=t,
            name=f"Indicator of {t.title}",
            kind="proximate",
            threshold="Above the five-year average",
            source="Monitoring",
            frequency="Weekly",
        )
        for t in threat_objs
    )
    response_objs = Response.objects.bulk_create(
        Response(
            assessment=assessment,
            title=f"Response {i}",
            strategy=["protection", "empowerment", "solidarity"][i % 3],
            actor="Provincial authorities",
            timeframe="Within six months",
            preventive=i % 2 == 0,
            description="What is done and by whom. " * 4,
        )
        for i in range(responses)
    )
    rthrough = Response.threats.through
    rthrough.objects.bulk_create(
        rthrough(response_id=r.pk, threat_id=threat_objs[i % threats].pk)
        for i, r in enumerate(response_objs)
    )
    return assessment, owner
