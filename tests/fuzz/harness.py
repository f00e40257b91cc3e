"""Send one request as one role, inside a transaction that is rolled back, and check the
two properties of the fuzz tests: the answer is never a server error, and nothing outside
the assessment the URL names changes (nor that one, unless the role may change it)."""

from __future__ import annotations

import reprlib
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import Client
from hypothesis import event
from hypothesis.control import currently_in_test_context

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
    Reading,
    Response,
    ReviewEvent,
    Source,
    Team,
    Threat,
)
from frameworks.models import (
    Component,
    Dimension,
    Framework,
    FrameworkVersion,
    Prompt,
    ScaleLevel,
    Section,
)

GLOBAL = "global"
EDITABLE = ("draft", "returned")
EXPORTS = "exports"  # buckets (EXPORTS, team id) hold a team's batch exports

# --- what the database holds, bucketed by the assessment each row belongs to ------------


def _rows(bucket: dict, label: str, queryset, owners: tuple[str, ...], key: str = "id") -> None:
    for row in queryset:
        for owner in owners:
            bucket[row[owner] if owner != GLOBAL else GLOBAL][(label, row[key])] = row


def fingerprint() -> dict[Any, dict[tuple, dict]]:
    """{assessment id or "global": {(kind, key): row}} for everything a request could
    change. A link between two assessments' objects lands in both buckets, so a leak
    shows up in the bucket of the assessment the URL did not name."""
    fp: dict[Any, dict] = defaultdict(dict)
    a = "assessment_id"
    _rows(fp, "assessment", Assessment.objects.values(), ("id",))
    _rows(
        fp,
        "collaborator",
        Assessment.collaborators.through.objects.values(),
        (a,),
    )
    _rows(fp, "answer", Answer.objects.values(), (a,))
    _rows(fp, "group", PopulationGroup.objects.values(), (a,))
    _rows(fp, "threat", Threat.objects.values(), (a,))
    _rows(
        fp,
        "affected",
        Threat.affected_groups.through.objects.values(
            "id",
            "threat_id",
            "populationgroup_id",
            ta=F("threat__assessment_id"),
            ga=F("populationgroup__assessment_id"),
        ),
        ("ta", "ga"),
    )
    _rows(
        fp,
        "further",
        Threat.further_dimensions.through.objects.values(
            "id", "threat_id", "dimension_id", ta=F("threat__assessment_id")
        ),
        ("ta",),
    )
    _rows(
        fp,
        "tag",
        ComponentTag.objects.values(
            "id", "threat_id", "component_id", "rationale", ta=F("threat__assessment_id")
        ),
        ("ta",),
    )
    _rows(
        fp,
        "indicator",
        Indicator.objects.values(
            "id",
            "threat_id",
            "name",
            "kind",
            "baseline",
            "threshold",
            "source",
            "frequency",
            ta=F("threat__assessment_id"),
        ),
        ("ta",),
    )
    _rows(
        fp,
        "reading",
        Reading.objects.values(
            "id", "indicator_id", "date", ta=F("indicator__threat__assessment_id")
        ),
        ("ta",),
    )
    _rows(fp, "response", Response.objects.values(), (a,))
    _rows(
        fp,
        "addressed",
        Response.threats.through.objects.values(
            "id",
            "response_id",
            "threat_id",
            ra=F("response__assessment_id"),
            ta=F("threat__assessment_id"),
        ),
        ("ra", "ta"),
    )
    _rows(
        fp,
        "served",
        Response.groups.through.objects.values(
            "id",
            "response_id",
            "populationgroup_id",
            ra=F("response__assessment_id"),
            ga=F("populationgroup__assessment_id"),
        ),
        ("ra", "ga"),
    )
    _rows(fp, "comment", Comment.objects.values(), (a,))
    _rows(fp, "source", Source.objects.values(), (a,))
    _rows(fp, "quote", Quote.objects.values(), (a,))
    for label, through, item in (
        ("cites-threat", Source.threats.through, "threat"),
        ("cites-response", Source.responses.through, "response"),
        ("illustrates", Quote.threats.through, "threat"),
    ):
        owner = "source" if through is not Quote.threats.through else "quote"
        _rows(
            fp,
            label,
            through.objects.values(
                "id", oa=F(f"{owner}__assessment_id"), ia=F(f"{item}__assessment_id")
            ),
            ("oa", "ia"),
        )
    _rows(fp, "event", ReviewEvent.objects.values(), (a,))
    _rows(
        fp,
        "frozen",
        FrozenBrief.objects.values("id", a, "approval_id", "pdf_sha256", "snapshot_sha256"),
        (a,),
    )
    # Every write leaves a history record: one for an assessment the URL did not name
    # means something was written there, even if it was written back as it was.
    for label, model, owner in (
        ("history-assessment", Assessment, "id"),
        ("history-answer", Answer, a),
        ("history-group", PopulationGroup, a),
        ("history-threat", Threat, a),
        ("history-response", Response, a),
        ("history-tag", ComponentTag, "threat__assessment_id"),
        ("history-indicator", Indicator, "threat__assessment_id"),
        ("history-source", Source, a),
        ("history-quote", Quote, a),
    ):
        counts = model.history.values(owner).annotate(n=Count("history_id")).order_by(owner)
        for row in counts:
            fp[row[owner]][(label, 0)] = row["n"]
    user_fields = [f.attname for f in get_user_model()._meta.concrete_fields]
    user_fields.remove("last_login")
    for label, queryset in (
        ("user", get_user_model().objects.values(*user_fields)),
        ("team", Team.objects.values()),
        ("membership", Membership.objects.values()),
        ("framework", Framework.objects.values()),
        ("version", FrameworkVersion.objects.values()),
        ("section", Section.objects.values()),
        ("prompt", Prompt.objects.values()),
        ("component", Component.objects.values()),
        ("dimension", Dimension.objects.values()),
        ("scale", ScaleLevel.objects.values()),
    ):
        _rows(fp, label, queryset, (GLOBAL,))
    for row in BatchExport.objects.values(
        "id", "team_id", "requested_by_id", "status", "period_from", "period_to", "error"
    ):
        fp[(EXPORTS, row["team_id"])][("batch-export", row["id"])] = row
    fp.pop(None, None)  # history of rows whose threat is gone: counted in no bucket
    return dict(fp)


_short = reprlib.Repr()  # a 2 MB value in a failure message helps nobody
_short.maxstring = _short.maxother = 160


def _diff(before: dict, after: dict) -> list[str]:
    lines = []
    for key in sorted(before.keys() | after.keys(), key=repr):
        old, new = before.get(key), after.get(key)
        if old != new:
            lines.append(f"  {key}: {_short.repr(old)}\n      -> {_short.repr(new)}")
    return lines


def broken_references() -> list[str]:
    """Links that cross from one assessment (or framework version) into another."""
    affected = Threat.affected_groups.through.objects
    addressed = Response.threats.through.objects
    collaborators = Assessment.collaborators.through.objects
    checks = {
        "threat affects a group of another assessment": affected.exclude(
            threat__assessment_id=F("populationgroup__assessment_id")
        ),
        "response addresses a threat of another assessment": addressed.exclude(
            response__assessment_id=F("threat__assessment_id")
        ),
        "response serves a group of another assessment": Response.groups.through.objects.exclude(
            response__assessment_id=F("populationgroup__assessment_id")
        ),
        "threat in a dimension of another framework version": Threat.objects.exclude(
            dimension__version_id=F("assessment__framework_version_id")
        ),
        "threat's further dimension of another framework version": (
            Threat.further_dimensions.through.objects.exclude(
                dimension__version_id=F("threat__assessment__framework_version_id")
            )
        ),
        "threat's primary dimension also a further one": (
            Threat.further_dimensions.through.objects.filter(dimension_id=F("threat__dimension_id"))
        ),
        "tag on a component of another framework version": ComponentTag.objects.exclude(
            component__version_id=F("threat__assessment__framework_version_id")
        ),
        "answer to a prompt of another framework version": Answer.objects.exclude(
            prompt__section__version_id=F("assessment__framework_version_id")
        ),
        "comment on a section of another framework version": Comment.objects.filter(
            section__isnull=False
        ).exclude(section__version_id=F("assessment__framework_version_id")),
        "collaborator outside the assessment's team": collaborators.exclude(
            Q(user__memberships__team_id=F("assessment__team_id"))
        ),
        "assessment pinned to an unpublished version": Assessment.objects.exclude(
            framework_version__status=FrameworkVersion.Status.PUBLISHED
        ),
        "frozen brief of another assessment's approval": FrozenBrief.objects.exclude(
            approval__assessment_id=F("assessment_id")
        ),
        "threat cites a source of another assessment": Source.threats.through.objects.exclude(
            source__assessment_id=F("threat__assessment_id")
        ),
        "response cites a source of another assessment": (
            Source.responses.through.objects.exclude(
                source__assessment_id=F("response__assessment_id")
            )
        ),
        "quote of a group or source of another assessment": Quote.objects.exclude(
            Q(group__isnull=True) | Q(group__assessment_id=F("assessment_id"))
        )
        .union(
            Quote.objects.exclude(
                Q(source__isnull=True) | Q(source__assessment_id=F("assessment_id"))
            )
        )
        .values("id"),
    }
    return [name for name, queryset in checks.items() if queryset.exists()]


# --- who may change what (written from docs/permissions.md, not from permissions.py) ----


def may_change(world, role: str, kind: str, pk: int | None) -> bool:
    """May `role` change the assessment `pk` through a URL of this kind?

    kinds: read (never), content (owner, collaborators, superusers; draft or returned),
    submit (the same), review (supervisors of the team, superusers), resolve (supervisors
    and authors)."""
    case = world.case_of(pk) if pk is not None else None
    user = world.users[role]
    if case is None or user is None or kind == "read":
        return False
    a = case.assessment
    superuser = user.is_superuser
    roles = dict(Membership.objects.filter(user=user).values_list("team_id", "role"))
    member = superuser or a.team_id in roles
    author = superuser or (
        member and (a.owner_id == user.pk or a.collaborators.filter(pk=user.pk).exists())
    )
    supervisor = superuser or roles.get(a.team_id) == Membership.Role.SUPERVISOR
    editable = a.status in EDITABLE
    return {
        "content": author and editable,
        "submit": author and editable,
        "review": supervisor,
        "resolve": supervisor or author,
        # Monitoring, not analysis: in any status (assessments/monitoring/).
        "reading": supervisor or author,
        "reassess": (supervisor or author) and a.status == Assessment.Status.APPROVED,
    }[kind]


def may_export(world, role: str, team_id: int) -> bool:
    """May `role` ask for, or retry, a batch export of this team? Its supervisors and
    superusers (docs/permissions.md)."""
    user = world.users[role]
    if user is None:
        return False
    return (
        user.is_superuser
        or Membership.objects.filter(
            user=user, team_id=team_id, role=Membership.Role.SUPERVISOR
        ).exists()
    )


def _exports_changed_by_right(world, role: str, bucket, old: dict, new: dict) -> bool:
    """A team's exports changed through an export URL by a person who may, each changed
    row now asked for by that person (a request or a retry)."""
    if not (isinstance(bucket, tuple) and bucket[0] == EXPORTS):
        return False
    if not may_export(world, role, bucket[1]):
        return False
    user = world.users[role]
    changed = [row for key, row in new.items() if old.get(key) != row]
    assert all(row["requested_by_id"] == user.pk for row in changed), (role, changed)
    assert not old.keys() - new.keys(), ("an export disappeared", role, bucket)
    if changed:
        _note("export: a batch export was asked for or retried")
    return True


# --- one request ------------------------------------------------------------------------


@dataclass
class Req:
    """One request. `data` is a dict (values: str or list of str), sent as multipart
    (the default), urlencoded, or on a GET as the query; `raw` replaces it all with a
    query string (GET) or a body with its content type (POST)."""

    method: str
    path: str
    data: dict = field(default_factory=dict)
    encoding: str = "multipart"
    raw: str | bytes | None = None
    content_type: str = ""

    def __repr__(self) -> str:
        def short(value):
            if isinstance(value, list):
                return [short(v) for v in value]
            if isinstance(value, str | bytes) and len(value) > 120:
                return f"{value[:60]!r}... ({len(value)} long)"
            return value

        data = {short(k): short(v) for k, v in self.data.items()}
        raw = short(self.raw)
        return (
            f"Req({self.method} {self.path!r} data={data!r} encoding={self.encoding!r} "
            f"raw={raw!r} content_type={self.content_type!r})"
        )

    def send(self, client: Client):
        if self.method == "GET":
            if self.raw is not None:
                return client.get(f"{self.path}?{self.raw}")
            return client.get(self.path, self.data)
        if self.raw is not None:
            # generic() sends the bytes as they are; post() would re-encode them in the
            # declared charset first (and fail in the test client, not in the app).
            return client.generic("POST", self.path, self.raw, content_type=self.content_type)
        if self.encoding == "urlencoded":
            body = urlencode(self.data, doseq=True)
            return client.post(self.path, body, content_type="application/x-www-form-urlencoded")
        return client.post(self.path, self.data)


def _note(text: str) -> None:
    """Count an outcome for `pytest --hypothesis-show-statistics` (only inside @given)."""
    if currently_in_test_context():
        event(text)


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def exercise(
    world,
    role: str,
    req: Req | list[Req],
    *,
    kind: str = "read",
    pk: int | None = None,
    fixed: frozenset = frozenset(),
    reader: str | None = None,
):
    """Send `req` (or several, the first as `role`, the rest as `reader`) and check: no
    server error, nothing changed outside assessment `pk`, nothing changed inside it
    unless `may_change`, and never the rows of `fixed` (other items of the same kind,
    when the URL names one item). A view's exception propagates: the test client
    re-raises it, which shows the traceback. Returns the last response."""
    requests = req if isinstance(req, list) else [req]
    # Re-assessing creates a new draft and never changes the baseline itself.
    creates = kind == "create" or (kind == "reassess" and may_change(world, role, kind, pk))
    allowed = may_change(world, role, kind, pk) and kind != "reassess"
    # The overview caches rendered parts; what an earlier (rolled back) example left
    # there must not make this one behave differently.
    cache.clear()
    with rolled_back():
        for i, one in enumerate(requests):
            who = role if i == 0 else (reader or role)
            client = world.clients[who]
            client.cookies.pop("messages", None)  # a rolled-back example's message stays
            response = one.send(client)
            assert response.status_code < 500, (who, one, response.status_code)
            # `pytest --hypothesis-show-statistics` shows how far the examples got.
            _note(f"{one.method} {response.status_code}")
        after = fingerprint()
        broken = broken_references()
        assert not broken, (role, requests, broken)
        created = _created(world.baseline, after, world, role, requests[0]) if creates else []
    before = world.baseline
    problems = []
    for bucket in before.keys() | after.keys():
        if bucket in created:
            continue
        old, new = before.get(bucket, {}), after.get(bucket, {})
        if kind == "export" and _exports_changed_by_right(world, role, bucket, old, new):
            continue
        if bucket == pk and allowed:
            if old != new:
                _note(f"{kind}: the assessment changed")
            old = {k: v for k, v in old.items() if k in fixed}
            new = {k: v for k, v in new.items() if k in fixed}
        lines = _diff(old, new)
        if lines:
            problems.append(f"bucket {bucket!r} changed:\n" + "\n".join(lines))
    assert not problems, (
        f"{role} {requests[0].method} {requests[0].path} (may change {pk}: {allowed}) "
        "changed what it may not:\n" + "\n".join(problems) + f"\nrequests: {requests!r}"
    )
    return response


def _created(before: dict, after: dict, world, role: str, req: Req) -> list[int]:
    """New assessments from the create page: owned by the person, in one of their teams."""
    new = [b for b in after if b not in before]
    if new:
        _note("create: an assessment was created")
    user = world.users[role]
    for pk in new:
        a = Assessment.objects.get(pk=pk)
        assert user is not None, ("anonymous created an assessment", req)
        assert a.owner_id == user.pk, (role, req, a.owner_id)
        assert user.is_superuser or Membership.objects.filter(user=user, team=a.team).exists(), (
            "created in a team the person is not in",
            role,
            req,
        )
        assert a.status == "draft" and a.version == 1, (role, req, a.status, a.version)
    return new
