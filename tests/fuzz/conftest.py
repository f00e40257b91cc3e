"""One world per test function for the fuzz tests: hypothesis runs every example of a
test against it, each inside a transaction that is rolled back (see `harness.exercise`),
so an example starts from the same data whatever the examples before it did."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from assessments.batch import services as batch
from assessments.content.selectors import AssessmentData
from assessments.interchange.document import export_json
from assessments.models import (
    Answer,
    Assessment,
    BatchExport,
    Comment,
    ComponentTag,
    FrozenBrief,
    Indicator,
    Membership,
    PopulationGroup,
    Quote,
    Response,
    ReviewEvent,
    Source,
    Threat,
)
from assessments.review.freeze import freeze
from frameworks.models import FrameworkVersion
from frameworks.services import version_new_draft, version_publish
from tests.factories import (
    AssessmentFactory,
    IndicatorFactory,
    MembershipFactory,
    PopulationGroupFactory,
    QuoteFactory,
    ResponseFactory,
    SourceFactory,
    TeamFactory,
    ThreatFactory,
    UserFactory,
    default_version,
)
from tests.fuzz import harness

# Stored text is hostile too: every page, export and brief renders it in each example.
HOSTILE_TITLE = (
    "Nord \u202e<b>bold</b> & 'single' \"double\" \u2013 \u0634\u0645\u0627\u0644 {{ x }}"
)
HOSTILE_POINTS = "=1+2\n- <script>alert(1)</script>\n\u2022 \u0645\u0631\u062d\u0628\u0627 %s %(x)s"


@dataclass
class Case:
    """One assessment and everything in it."""

    assessment: Assessment
    groups: list[PopulationGroup] = field(default_factory=list)
    threats: list[Threat] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    tags: list[ComponentTag] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    frozen: list[FrozenBrief] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


@dataclass(repr=False)
class World:
    version: FrameworkVersion
    other_version: FrameworkVersion
    draft_version: FrameworkVersion
    users: dict[str, object]
    clients: dict[str, Client]
    cases: dict[str, Case]
    exports: list[BatchExport] = field(default_factory=list)
    baseline: dict = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return "World(" + ", ".join(f"{k}={c.assessment.pk}" for k, c in self.cases.items()) + ")"

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))  # hypothesis prints fixtures; the whole world is too much

    def ids(self, kind: str) -> list[int]:
        """Every id of one kind of object, across all assessments (sorted, stable)."""
        return sorted(obj.pk for case in self.cases.values() for obj in getattr(case, kind))

    @property
    def assessment_ids(self) -> list[int]:
        return [case.assessment.pk for case in self.cases.values()]

    @property
    def export_ids(self) -> list[int]:
        return [export.pk for export in self.exports]

    def case_of(self, pk: int) -> Case | None:
        return next((c for c in self.cases.values() if c.assessment.pk == pk), None)


def _case(version, team, owner, *, title, supervisor, collaborators=(), status="draft") -> Case:
    assessment = AssessmentFactory(
        title=title,
        team=team,
        owner=owner,
        framework_version=version,
        key_points=HOSTILE_POINTS,
        area="\u05e9\u05dc\u05d5\u05dd \x07 bell \x1b[31m red",
    )
    assessment.collaborators.set(collaborators)
    case = Case(assessment)
    dimensions = list(version.dimensions.order_by("order"))
    components = list(version.components.order_by("order"))
    case.groups = [
        PopulationGroupFactory(assessment=assessment, name=f"<i>Women</i> & girls {title[:20]}"),
        PopulationGroupFactory(
            assessment=assessment,
            name="\u200f\u0627\u0644\u0646\u0627\u0632\u062d\u0648\u0646",
            sensitive=True,
        ),
    ]
    for i, dimension in enumerate(dimensions[:2]):
        threat = ThreatFactory(
            assessment=assessment,
            dimension=dimension,
            title=f'=HYPERLINK("http://example.invalid") {i}',
            root_causes="-cmd|' /C calc'!A0",
        )
        threat.affected_groups.set(case.groups[i:])
        case.threats.append(threat)
        case.indicators.append(IndicatorFactory(threat=threat, name=f"@SUM(1) {i}"))
        case.tags.append(
            ComponentTag.objects.create(
                threat=threat, component=components[i], rationale="<b>why</b> \u202e"
            )
        )
    response = ResponseFactory(assessment=assessment, groups=[case.groups[0]])
    response.threats.set(case.threats)
    case.responses = [response]
    case.sources = [
        SourceFactory(assessment=assessment, title="<b>Survey</b> =1+1", kind="survey"),
        SourceFactory(assessment=assessment, kind="interview", sensitive=True),
    ]
    case.threats[0].sources.set(case.sources)
    response.sources.set(case.sources[:1])
    case.quotes = [
        QuoteFactory(
            assessment=assessment,
            group=case.groups[0],
            source=case.sources[1],
            text="\u202e<i>We</i> {{ x }} leave at night",
            consent="publication",
        )
    ]
    prompts = list(version.sections.order_by("order").first().prompts.order_by("order"))
    case.answers = [
        Answer.objects.create(assessment=assessment, prompt=prompt, text=f"<p>{prompt.key}</p>")
        for prompt in prompts[:2]
    ]
    section = version.sections.order_by("order").first()
    case.comments = [
        Comment.objects.create(
            assessment=assessment, author=supervisor, text="Say more.", section=section
        ),
        Comment.objects.create(assessment=assessment, author=supervisor, text="Whole thing."),
    ]
    ReviewEvent.objects.create(
        assessment=assessment, kind=ReviewEvent.Kind.COMMENTED, actor=supervisor, note="n"
    )
    if status in ("submitted", "approved"):
        assessment.submitted_at = timezone.now() - timedelta(days=2)
        ReviewEvent.objects.create(
            assessment=assessment, kind=ReviewEvent.Kind.SUBMITTED, actor=owner
        )
    if status == "approved":
        assessment.approved_at = timezone.now() - timedelta(days=1)
        approval = ReviewEvent.objects.create(
            assessment=assessment, kind=ReviewEvent.Kind.APPROVED, actor=supervisor
        )
        # Real bytes are not needed: the views hand stored bytes back as they are, and
        # rendering a real PDF here would cost seconds per test function.
        pdf, snapshot = b"%PDF-1.7 frozen", '{"frozen": true}'
        case.frozen = [
            freeze(assessment=assessment, approval=approval, pdf=pdf, snapshot=snapshot.encode())
        ]
    assessment.status = status
    assessment.save()
    return case


def _exports(north, south, supervisor, south_supervisor) -> list[BatchExport]:
    """A batch export of North that is done (the approved case in its ZIP), one that
    failed, and a failed one of South."""
    today = timezone.localdate()
    period = {"period_from": today - timedelta(days=30), "period_to": today}
    failed = {"status": BatchExport.Status.FAILED, "error": "It failed.", **period}
    done = BatchExport.objects.create(team=north, requested_by=supervisor, **period)
    batch.batch_export_build(export_id=done.pk, site_url="https://hsassess.example.org")
    return [
        BatchExport.objects.get(pk=done.pk),
        BatchExport.objects.create(team=north, requested_by=supervisor, **failed),
        BatchExport.objects.create(team=south, requested_by=south_supervisor, **failed),
    ]


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests run with DEBUG off and no collectstatic: serve from the finders so WhiteNoise
    # does not warn (an error under filterwarnings=error) about a missing STATIC_ROOT.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture
def world(db) -> World:
    """Two teams; in North a draft target (owner, collaborator), a sibling draft of the
    same owner, a submitted and an approved one; in South a draft of the outsider."""
    version = default_version()
    north = TeamFactory(name="North \u202e<b>", slug="north")
    south = TeamFactory(name="South", slug="south")
    supervisor_role = Membership.Role.SUPERVISOR

    def member(team, username, role=Membership.Role.PRACTITIONER):
        return MembershipFactory(team=team, user=UserFactory(username=username), role=role).user

    users = {
        "anonymous": None,
        "owner": member(north, "owner"),
        "collaborator": member(north, "collaborator"),
        "peer": member(north, "peer"),
        "outsider": member(south, "outsider"),
        "supervisor": member(north, "supervisor", supervisor_role),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    south_supervisor = member(south, "south-supervisor", supervisor_role)
    owner, supervisor = users["owner"], users["supervisor"]
    cases = {
        "target": _case(
            version,
            north,
            owner,
            title=HOSTILE_TITLE,
            supervisor=supervisor,
            collaborators=[users["collaborator"]],
        ),
        "sibling": _case(version, north, owner, title="Sibling", supervisor=supervisor),
        "submitted": _case(
            version, north, owner, title="Submitted", supervisor=supervisor, status="submitted"
        ),
        "approved": _case(
            version,
            north,
            users["peer"],
            title="Approved",
            supervisor=supervisor,
            status="approved",
        ),
        "foreign": _case(
            version, south, users["outsider"], title="Foreign", supervisor=south_supervisor
        ),
    }
    clients = {}
    for role, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        clients[role] = client
    # A second published version and a draft: their dimensions, sections and components
    # are ids a form of an assessment pinned to the first version must refuse.
    other_version = version_publish(version=version_new_draft(version=version))
    draft_version = version_new_draft(version=other_version)
    world = World(
        version=version,
        other_version=other_version,
        draft_version=draft_version,
        users=users,
        clients=clients,
        cases=cases,
        exports=_exports(north, south, supervisor, south_supervisor),
    )
    world.baseline = harness.fingerprint()
    return world


@pytest.fixture
def export_document(world) -> dict:
    """The target's own export: the import tests change things in it."""
    return json.loads(export_json(AssessmentData(world.cases["target"].assessment))[2])
