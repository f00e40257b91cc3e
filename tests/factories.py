"""factory_boy factories. Framework versions come from the shipped default framework,
because an assessment needs a whole published version (sections, components, scales)."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.db.models import Max

from assessments.models import (
    Answer,
    Assessment,
    ComponentTag,
    Indicator,
    Membership,
    PopulationGroup,
    Quote,
    Response,
    Source,
    Team,
    Threat,
)
from frameworks.models import Framework, FrameworkVersion

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.PRACTITIONER


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    slug = factory.Sequence(lambda n: f"framework-{n}")
    name = factory.Sequence(lambda n: f"Framework {n}")


class FrameworkVersionFactory(factory.django.DjangoModelFactory):
    """An empty draft version (for framework tests that build content themselves)."""

    class Meta:
        model = FrameworkVersion

    framework = factory.SubFactory(FrameworkFactory)
    number = factory.Sequence(lambda n: n + 1)


def default_version() -> FrameworkVersion:
    """The shipped default framework, imported and published (once per test database)."""
    from assessments.demo.seed import DEFAULT_FRAMEWORK
    from frameworks.documents import parse
    from frameworks.services import framework_import

    existing = FrameworkVersion.objects.filter(
        framework__slug="human-security-lens", number=1
    ).first()
    if existing is not None:
        return existing
    version, _ = framework_import(document=parse(DEFAULT_FRAMEWORK.read_bytes()), publish=True)
    return version


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Assessment {n}")
    team = factory.SubFactory(TeamFactory)
    owner = factory.SubFactory(UserFactory)
    framework_version = factory.LazyFunction(default_version)
    country = "Nigeria"
    area = "Borno State"
    population_focus = "Displaced households"


class PopulationGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationGroup

    assessment = factory.SubFactory(AssessmentFactory)
    name = factory.Sequence(lambda n: f"Group {n}")
    sex = PopulationGroup.Sex.FEMALE
    displacement_status = PopulationGroup.Displacement.IDP


class ThreatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Threat
        skip_postgeneration_save = True

    assessment = factory.SubFactory(AssessmentFactory)
    title = factory.Sequence(lambda n: f"Threat {n}")
    # The next number of its assessment, as threat_save gives it.
    number = factory.LazyAttribute(
        lambda t: (t.assessment.threats.aggregate(n=Max("number"))["n"] or 0) + 1
    )
    dimension = factory.LazyAttribute(
        lambda t: t.assessment.framework_version.dimensions.order_by("order").first()
    )
    likelihood = 3
    severity = 3
    urgency = 2

    @factory.post_generation
    def further_dimensions(self, create, extracted, **kwargs):
        if create and extracted:
            self.further_dimensions.set(extracted)


class ComponentTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComponentTag

    threat = factory.SubFactory(ThreatFactory)
    component = factory.LazyAttribute(
        lambda t: t.threat.assessment.framework_version.components.order_by("order").first()
    )
    rationale = "Felt first by the households themselves."


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    threat = factory.SubFactory(ThreatFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response
        skip_postgeneration_save = True

    assessment = factory.SubFactory(AssessmentFactory)
    title = factory.Sequence(lambda n: f"Response {n}")
    strategy = Response.Strategy.PROTECTION

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(extracted)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    assessment = factory.SubFactory(AssessmentFactory)
    prompt = factory.LazyAttribute(
        lambda a: a.assessment.framework_version.sections.first().prompts.first()
    )
    text = "An answer."


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        skip_postgeneration_save = True

    assessment = factory.SubFactory(AssessmentFactory)
    # The next number of its assessment, as source_save gives it.
    number = factory.LazyAttribute(
        lambda s: (s.assessment.sources.aggregate(n=Max("number"))["n"] or 0) + 1
    )
    title = factory.Sequence(lambda n: f"Source {n}")
    reliability = "B"
    credibility = 2


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote
        skip_postgeneration_save = True

    assessment = factory.SubFactory(AssessmentFactory)
    text = "We sleep in the school when the water rises."
    group = factory.LazyAttribute(lambda q: PopulationGroupFactory(assessment=q.assessment))
    source = factory.LazyAttribute(lambda q: SourceFactory(assessment=q.assessment))
    language = "Hausa"


def member(team, username: str, role=Membership.Role.PRACTITIONER):
    """A new person with `role` in `team`."""
    return MembershipFactory(team=team, user=UserFactory(username=username), role=role).user
