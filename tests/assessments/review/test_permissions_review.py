"""Who may use the review, brief and export URLs: import, submit, review (comment, return,
approve, reopen), resolving a comment, the brief (draft, approved, public, an earlier
frozen one), the data exports and the batch exports of a team's approved briefs × every
role (with a supervisor who once collaborated and a superuser who changed something).

tests/assessments/test_permissions.py covers the content URLs; this file covers the rest.
The expected outcomes are written out by hand from DESIGN.md ("People and what they may
do") and docs/permissions.md, not computed from permissions.py: people outside the team get
404 everywhere, the approved brief goes out through supervisors and its authors may always
read it (a teammate who did not write it may not), a supervisor never
decides on work they own or collaborate on, anonymous people sign in first.

Rendering a PDF takes about a second, so the matrix runs with a stand-in renderer;
`test_a_real_pdf_comes_back_for_an_allowed_role` renders one for real.
"""

from __future__ import annotations

import html
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

import tests.assessments.test_permissions as content_matrix
from assessments.batch import services as batch
from assessments.content import services as content
from assessments.content.selectors import AssessmentData
from assessments.core import services as core
from assessments.interchange.document import assessment_document
from assessments.interchange.spreadsheet import XLSX_CONTENT_TYPE
from assessments.models import (
    Answer,
    Assessment,
    BatchExport,
    Comment,
    FrozenBrief,
    Membership,
    Notification,
    NotificationSettings,
    PopulationGroup,
    Response,
    ReviewEvent,
    Team,
    Threat,
)
from assessments.review import services as workflow
from frameworks.models import FrameworkVersion
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    PopulationGroupFactory,
    ResponseFactory,
    TeamFactory,
    ThreatFactory,
    UserFactory,
    default_version,
)
from tests.standins import STAND_IN_PDF

pytestmark = pytest.mark.django_db

Status = Assessment.Status
Kind = ReviewEvent.Kind

ROLES = (
    "anonymous",
    "owner",  # practitioner, owns the assessment
    "collaborator",  # practitioner, collaborates on it
    "teammate",  # practitioner of the same team, not an author
    "outsider",  # practitioner of another team
    "supervisor",  # supervisor of the same team, not an author
    "supervisor_author",  # supervisor of the same team who collaborates on it
    "other_supervisor",  # supervisor of another team
    "superuser",
    # Separation of duties from the history (issue 13): a supervisor of the team who was a
    # collaborator, changed a threat and was removed, and a superuser who changed a group.
    "ex_collaborator",
    "editing_superuser",
)


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    # Nine accounts per test hashed with the production hasher would cost seconds each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No collectstatic in tests: WhiteNoise serves from the finders and stays quiet.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


@dataclass
class World:
    version: FrameworkVersion
    team: Team
    other_team: Team
    users: dict
    assessment: Assessment


@pytest.fixture
def world(db) -> World:
    """One draft assessment of team North, owned by pat, with collaborators cleo (a
    practitioner) and vera (a supervisor), some content to export, and a person per role."""
    version = default_version()
    north = TeamFactory(name="North", slug="north")
    south = TeamFactory(name="South", slug="south")
    practitioner, supervisor = Membership.Role.PRACTITIONER, Membership.Role.SUPERVISOR

    def member(username, team, role):
        return MembershipFactory(team=team, user=UserFactory(username=username), role=role).user

    users = {
        "anonymous": None,
        "owner": member("pat", north, practitioner),
        "collaborator": member("cleo", north, practitioner),
        "teammate": member("tom", north, practitioner),
        "outsider": member("olga", south, practitioner),
        "supervisor": member("sue", north, supervisor),
        "supervisor_author": member("vera", north, supervisor),
        "other_supervisor": member("sam", south, supervisor),
        "superuser": UserFactory(username="root", is_staff=True, is_superuser=True),
        "ex_collaborator": member("xena", north, supervisor),
        "editing_superuser": UserFactory(username="ops", is_staff=True, is_superuser=True),
    }
    assessment = AssessmentFactory(
        title="Northern assessment", team=north, owner=users["owner"], framework_version=version
    )
    assessment.collaborators.add(users["collaborator"], users["supervisor_author"])
    group = PopulationGroupFactory(assessment=assessment, name="Displaced women")
    threat = ThreatFactory(assessment=assessment, title="Flooding of the camps")
    threat.affected_groups.add(group)
    response = ResponseFactory(
        assessment=assessment, title="Early warning by radio", groups=[group]
    )
    response.threats.add(threat)
    _hands_that_left(assessment, users, threat, group)
    return World(version, north, south, users, assessment)


def _hands_that_left(assessment, users, threat, group) -> None:
    """xena collaborates, changes the threat and is removed; ops (a superuser) changes the
    group. Through the services, so the history records them."""
    authors = [users["collaborator"], users["supervisor_author"]]

    def set_collaborators(people):
        current = Assessment.objects.get(pk=assessment.pk)
        core.assessment_update(
            assessment=current,
            user=users["owner"],
            base_version=current.version,
            collaborators=people,
        )

    set_collaborators([*authors, users["ex_collaborator"]])
    content.threat_save(
        assessment=assessment,
        user=users["ex_collaborator"],
        threat=threat,
        base_version=threat.version,
        title=threat.title,
        dimension=threat.dimension,
        likelihood=threat.likelihood,
        severity=threat.severity,
        urgency=threat.urgency,
        affected_groups=[group],
    )
    set_collaborators(authors)
    content.group_save(
        assessment=assessment,
        user=users["editing_superuser"],
        group=group,
        base_version=group.version,
        name=group.name,
        description="Women displaced by the floods.",
    )


def client_for(client, world: World, role: str):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


# --- states the assessment is put in before each case -------------------------------------


def _submit(w: World) -> None:
    workflow.assessment_submit(assessment=w.assessment, user=w.users["owner"])


def _approve(w: World) -> None:
    _submit(w)
    workflow.assessment_approve(assessment=w.assessment, user=w.users["supervisor"], note="Sound.")


def _comment(w: World) -> None:
    _submit(w)
    workflow.assessment_comment(
        assessment=w.assessment, user=w.users["supervisor"], text="Check the dates."
    )


def _resolved(w: World) -> None:
    _comment(w)
    workflow.comment_resolve(comment=_the_comment(w), user=w.users["owner"])


def _reopen(w: World) -> None:
    # Approved once, then reopened: the assessment is returned, the first brief is kept.
    _approve(w)
    workflow.assessment_reopen(
        assessment=w.assessment, user=w.users["supervisor"], note="Floods came."
    )


def _period() -> dict:
    today = timezone.localdate()
    return {"period_from": today.replace(day=1), "period_to": today}


def _exported(w: World) -> None:
    # Approved, and its team's briefs exported by sue (the task run here, at once).
    _approve(w)
    export = BatchExport.objects.create(
        team=w.team, requested_by=w.users["supervisor"], **_period()
    )
    batch.batch_export_build(export_id=export.pk, site_url="https://hsassess.example.org")


def _export_failed(w: World) -> None:
    _approve(w)
    BatchExport.objects.create(
        team=w.team,
        requested_by=w.users["supervisor"],
        status=BatchExport.Status.FAILED,
        error="The export could not be built.",
        **_period(),
    )


def _notified(w: World) -> None:
    # Submitted (the eligible supervisors are told), then returned (the authors are told).
    _submit(w)
    workflow.assessment_return(assessment=w.assessment, user=w.users["supervisor"], note="Redo.")


STATES: dict[str, Callable[[World], None]] = {
    "draft": lambda w: None,
    "submitted": _submit,
    "commented": _comment,
    "resolved": _resolved,
    "approved": _approve,
    "reopened": _reopen,
    "exported": _exported,
    "export_failed": _export_failed,
    "notified": _notified,
}


# --- the cases ------------------------------------------------------------------------------


def _import_payload(w: World) -> dict:
    document = assessment_document(AssessmentData(w.assessment))
    document["assessment"]["title"] = "Imported in the matrix"
    upload = SimpleUploadedFile(
        "export.json", json.dumps(document).encode(), content_type="application/json"
    )
    return {"file": upload, "team": w.team.pk}


def _base(w: World) -> str:
    return f"/assessments/{w.assessment.pk}"


def _the_comment(w: World) -> Comment:
    """The thread's first comment (replies are in the same table)."""
    return Comment.objects.get(assessment=w.assessment, parent=None)


def _the_threat(w: World) -> Threat:
    return Threat.objects.get(assessment=w.assessment)


def _on_threat(w: World) -> str:
    return f"{_base(w)}/threads/?on=threat&id={_the_threat(w).pk}"


def _the_frozen(w: World) -> FrozenBrief:
    return FrozenBrief.objects.get(assessment=w.assessment)


def _the_export(w: World) -> BatchExport:
    return BatchExport.objects.get()


def _exports(w: World) -> str:
    return "/assessments/exports"


def _owners_notification(w: World) -> Notification:
    return Notification.objects.get(recipient=w.users["owner"])


def _unread(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@dataclass(frozen=True)
class Case:
    url_name: str  # the name in assessments/urls.py
    method: str
    state: str
    url: Callable[[World], str]
    data: Callable[[World], dict] = lambda w: {}


CASES: dict[str, Case] = {
    "import_get": Case("import", "get", "draft", lambda w: "/assessments/import/"),
    "import_post": Case(
        "import", "post", "draft", lambda w: "/assessments/import/", _import_payload
    ),
    "submit_get": Case("submit", "get", "draft", lambda w: f"{_base(w)}/submit/"),
    "submit_post": Case("submit", "post", "draft", lambda w: f"{_base(w)}/submit/"),
    "review_get": Case("review", "get", "submitted", lambda w: f"{_base(w)}/review/"),
    "review_comment": Case(
        "review",
        "post",
        "submitted",
        lambda w: f"{_base(w)}/review/",
        lambda w: {"action": "comment", "text": "Where are the herders?", "section": ""},
    ),
    "review_return": Case(
        "review",
        "post",
        "submitted",
        lambda w: f"{_base(w)}/review/",
        lambda w: {"action": "decide", "decision": "return", "note": "Add the herders."},
    ),
    "review_approve": Case(
        "review",
        "post",
        "submitted",
        lambda w: f"{_base(w)}/review/",
        lambda w: {"action": "decide", "decision": "approve", "note": "Sound."},
    ),
    "review_reopen": Case(
        "review",
        "post",
        "approved",
        lambda w: f"{_base(w)}/review/",
        lambda w: {"action": "reopen", "note": "New displacement in March."},
    ),
    "comment_resolve": Case(
        "comment_resolve",
        "post",
        "commented",
        lambda w: f"{_base(w)}/comments/{_the_comment(w).pk}/resolve/",
    ),
    "threads_get": Case("threads", "get", "commented", lambda w: f"{_base(w)}/threads/?state=open"),
    "threads_post": Case(
        "threads", "post", "submitted", _on_threat, lambda w: {"text": "Is it seasonal?"}
    ),
    "comment_reply": Case(
        "comment_reply",
        "post",
        "commented",
        lambda w: f"{_base(w)}/comments/{_the_comment(w).pk}/reply/",
        lambda w: {"text": "Dates added."},
    ),
    "comment_reopen": Case(
        "comment_reopen",
        "post",
        "resolved",
        lambda w: f"{_base(w)}/comments/{_the_comment(w).pk}/reopen/",
    ),
    "changes": Case("changes", "get", "notified", lambda w: f"{_base(w)}/changes/"),
    "brief_draft": Case("brief", "get", "draft", lambda w: f"{_base(w)}/brief.pdf"),
    "brief_draft_public": Case(
        "brief", "get", "draft", lambda w: f"{_base(w)}/brief.pdf?variant=public"
    ),
    "brief_approved": Case("brief", "get", "approved", lambda w: f"{_base(w)}/brief.pdf"),
    "brief_approved_public": Case(
        "brief", "get", "approved", lambda w: f"{_base(w)}/brief.pdf?variant=public"
    ),
    "frozen_brief": Case(
        "frozen_brief",
        "get",
        "reopened",
        lambda w: f"{_base(w)}/briefs/{_the_frozen(w).pk}.pdf",
    ),
    "brief_summary": Case("brief_summary", "get", "draft", lambda w: f"{_base(w)}/summary/"),
    "public_preview": Case(
        "public_preview", "get", "draft", lambda w: f"{_base(w)}/public-preview/"
    ),
    "export_json": Case("export_json", "get", "draft", lambda w: f"{_base(w)}/export.json"),
    "threats_csv": Case("threats_csv", "get", "draft", lambda w: f"{_base(w)}/threats.csv"),
    "threats_xlsx": Case("threats_xlsx", "get", "draft", lambda w: f"{_base(w)}/threats.xlsx"),
    "batch_exports_get": Case("batch_exports", "get", "approved", lambda w: f"{_exports(w)}/"),
    "batch_exports_post": Case(
        "batch_exports",
        "post",
        "approved",
        lambda w: f"{_exports(w)}/",
        lambda w: {"team": w.team.pk, **_period()},
    ),
    "batch_export": Case(
        "batch_export", "get", "exported", lambda w: f"{_exports(w)}/{_the_export(w).pk}/"
    ),
    "batch_export_download": Case(
        "batch_export_download",
        "get",
        "exported",
        lambda w: f"{_exports(w)}/{_the_export(w).pk}/download/",
    ),
    "batch_export_retry": Case(
        "batch_export_retry",
        "post",
        "export_failed",
        lambda w: f"{_exports(w)}/{_the_export(w).pk}/retry/",
    ),
    # A person's own notifications (issue 13): another's is not found.
    "notifications": Case(
        "notifications", "get", "notified", lambda w: "/assessments/notifications/"
    ),
    "notification_open": Case(
        "notification_open",
        "post",
        "notified",
        lambda w: f"/assessments/notifications/{_owners_notification(w).pk}/open/",
    ),
    "notifications_read_all": Case(
        "notifications_read_all", "post", "notified", lambda w: "/assessments/notifications/read/"
    ),
    "notification_settings_get": Case(
        "notification_settings",
        "get",
        "draft",
        lambda w: "/assessments/notifications/settings/",
    ),
    "notification_settings_post": Case(
        "notification_settings",
        "post",
        "draft",
        lambda w: "/assessments/notifications/settings/",
        lambda w: {"language": "fr"},
    ),
}


# --- the expected outcomes ----------------------------------------------------------------
# "login": redirected to /accounts/login/?next=<url>. GET: the status code. POST: the
# status code, then "+" the move happened or "=" nothing changed. A refused move answers
# 403 when the role does not allow it and a page with a message when the role would but
# the rules of the move do not (separation of duties, a team one cannot choose).

# Columns follow ROLES: anonymous, owner, collaborator, teammate, outsider, supervisor,
# supervisor_author, other_supervisor, superuser, ex_collaborator, editing_superuser.
_TABLE = {
    # case                  anony owner colla teamm outsi super sup.a oth.s super ex.co ed.su
    "import_get":            "login 200   200   200   200   200   200   200   200   200   200",
    "import_post":           "login 302+  302+  302+  400=  302+  302+  400=  302+  302+  302+",
    "submit_get":            "login 200   200   403   404   403   200   404   200   403   200",
    "submit_post":           "login 302+  302+  403=  404=  403=  302+  404=  302+  403=  302+",
    "review_get":            "login 403   403   403   404   200   200   404   200   200   200",
    "review_comment":        "login 403=  403=  403=  404=  302+  302+  404=  302+  302+  302+",
    "review_return":         "login 403=  403=  403=  404=  302+  200=  404=  302+  200=  200=",
    "review_approve":        "login 403=  403=  403=  404=  302+  200=  404=  302+  200=  200=",
    "review_reopen":         "login 403=  403=  403=  404=  302+  302+  404=  302+  302+  302+",
    "comment_resolve":       "login 302+  302+  403=  404=  302+  302+  404=  302+  302+  302+",
    # Threads: every member reads them; supervisors start them; either side replies,
    # resolves and reopens; other teammates only read.
    "threads_get":           "login 200   200   200   404   200   200   404   200   200   200",
    "threads_post":          "login 403=  403=  403=  404=  302+  302+  404=  302+  302+  302+",
    "comment_reply":         "login 302+  302+  403=  404=  302+  302+  404=  302+  302+  302+",
    "comment_reopen":        "login 302+  302+  403=  404=  302+  302+  404=  302+  302+  302+",
    "changes":               "login 200   200   200   404   200   200   404   200   200   200",
    "brief_draft":           "login 200   200   200   404   200   200   404   200   200   200",
    "brief_draft_public":    "login 200   200   200   404   200   200   404   200   200   200",
    "brief_approved":        "login 200   200   403   404   200   200   404   200   200   200",
    "brief_approved_public": "login 200   200   403   404   200   200   404   200   200   200",
    "frozen_brief":          "login 200   200   403   404   200   200   404   200   200   200",
    "brief_summary":         "login 200   200   200   404   200   200   404   200   200   200",
    "public_preview":        "login 200   200   200   404   200   200   404   200   200   200",
    "export_json":           "login 200   200   200   404   200   200   404   200   200   200",
    "threats_csv":           "login 200   200   200   404   200   200   404   200   200   200",
    "threats_xlsx":          "login 200   200   200   404   200   200   404   200   200   200",
    # A team's batch exports: its supervisors ask (other supervisors cannot choose the
    # team), see and download them; anyone else finds no export there.
    "batch_exports_get":     "login 403   403   403   403   200   200   200   200   200   200",
    "batch_exports_post":    "login 403=  403=  403=  403=  302+  302+  200=  302+  302+  302+",
    "batch_export":          "login 404   404   404   404   200   200   404   200   200   200",
    "batch_export_download": "login 404   404   404   404   200   200   404   200   200   200",
    "batch_export_retry":    "login 404=  404=  404=  404=  302+  302+  404=  302+  302+  302+",
    # Everyone signed in has their own notifications and settings; only pat's is pat's.
    "notifications":              "login 200  200  200  200  200  200  200  200  200  200",
    "notification_open":          "login 302+ 404= 404= 404= 404= 404= 404= 404= 404= 404=",
    "notifications_read_all":     "login 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+",
    "notification_settings_get":  "login 200  200  200  200  200  200  200  200  200  200",
    "notification_settings_post": "login 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+ 302+",
}  # fmt: skip
EXPECTED = {
    name: tuple(int(cell) if cell.isdigit() else cell for cell in row.split())
    for name, row in _TABLE.items()
}

# Why a 403 says what it says (docs/permissions.md: "a 403 page that says why").
REASON_403 = {
    "submit_get": "Only the owner or a collaborator may submit this assessment.",
    "submit_post": "Only the owner or a collaborator may submit this assessment.",
    "review_get": "Only supervisors of the team review assessments.",
    "review_comment": "Only supervisors of the team review assessments.",
    "review_return": "Only supervisors of the team review assessments.",
    "review_approve": "Only supervisors of the team review assessments.",
    "review_reopen": "Only supervisors of the team review assessments.",
    "comment_resolve": "You may not resolve comments on this assessment.",
    "threads_post": "Only supervisors of the team review assessments.",
    "comment_reply": "Only the authors and the team's supervisors reply in threads.",
    "comment_reopen": "You may not resolve comments on this assessment.",
    "brief_approved": "The approved brief is for its authors and the team's supervisors.",
    "brief_approved_public": ("The approved brief is for its authors and the team's supervisors."),
    "frozen_brief": "Approved briefs are for their authors and the team's supervisors.",
    "batch_exports_get": "Batch exports of approved briefs are made by the supervisors of a team.",
    "batch_exports_post": (
        "Batch exports of approved briefs are made by the supervisors of a team."
    ),
}

# What the page says when a move the role may make is refused ("200=", "400=").
REFUSAL_TEXT = {
    "import_post": "Select a valid choice.",
    "batch_exports_post": "Select a valid choice.",
    "review_return": (
        "You have owned, collaborated on, submitted or changed this assessment, so you "
        "cannot return it: another supervisor must review it (separation of duties)."
    ),
    "review_approve": (
        "You have owned, collaborated on, submitted or changed this assessment, so you "
        "cannot approve it: another supervisor must review it (separation of duties)."
    ),
}


def _events(w: World) -> list[tuple[str, int]]:
    return list(
        ReviewEvent.objects.filter(assessment=w.assessment)
        .order_by("created_at", "id")
        .values_list("kind", "actor_id")
    )


def _now(w: World) -> Assessment:
    return Assessment.objects.get(pk=w.assessment.pk)


CHANGED: dict[str, Callable[[World, object], bool]] = {
    "import_post": lambda w, user: Assessment.objects.filter(
        title="Imported in the matrix", team=w.team, owner=user, status=Status.DRAFT
    ).exists(),
    "submit_post": lambda w, user: (
        _now(w).status == Status.SUBMITTED and _events(w) == [(Kind.SUBMITTED, user.pk)]
    ),
    "review_comment": lambda w, user: (
        Comment.objects.filter(
            assessment=w.assessment, author=user, text="Where are the herders?"
        ).exists()
        and _events(w)[-1] == (Kind.COMMENTED, user.pk)
    ),
    "review_return": lambda w, user: (
        _now(w).status == Status.RETURNED and _events(w)[-1] == (Kind.RETURNED, user.pk)
    ),
    "review_approve": lambda w, user: (
        _now(w).status == Status.APPROVED
        and _events(w)[-1] == (Kind.APPROVED, user.pk)
        and _the_frozen(w).approval.actor == user
        and bytes(_the_frozen(w).pdf).startswith(STAND_IN_PDF)
    ),
    "review_reopen": lambda w, user: (
        _now(w).status == Status.RETURNED
        and _events(w)[-1] == (Kind.REOPENED, user.pk)
        # The brief of the earlier approval is kept.
        and FrozenBrief.objects.filter(assessment=w.assessment).count() == 1
    ),
    "comment_resolve": lambda w, user: (
        _the_comment(w).resolved_by == user and _the_comment(w).resolved_at is not None
    ),
    "threads_post": lambda w, user: (
        Comment.objects.filter(threat=_the_threat(w), author=user, text="Is it seasonal?").exists()
        and _events(w)[-1] == (Kind.COMMENTED, user.pk)
    ),
    "comment_reply": lambda w, user: Comment.objects.filter(
        parent=_the_comment(w), author=user, text="Dates added."
    ).exists(),
    "comment_reopen": lambda w, user: _the_comment(w).resolved_at is None,
    # Queued for the task (which runs when the request's transaction commits).
    "batch_exports_post": lambda w, user: BatchExport.objects.filter(
        team=w.team, requested_by=user, status=BatchExport.Status.QUEUED
    ).exists(),
    "batch_export_retry": lambda w, user: (
        _the_export(w).status == BatchExport.Status.QUEUED and _the_export(w).requested_by == user
    ),
    "notification_open": lambda w, user: _owners_notification(w).read_at is not None,
    "notifications_read_all": lambda w, user: _unread(user) == 0,
    "notification_settings_post": lambda w, user: NotificationSettings.objects.filter(
        user=user, email=False, language="fr"
    ).exists(),
}

SUCCESS_REDIRECT: dict[str, Callable[[World], str]] = {
    "import_post": lambda w: (
        f"/assessments/{Assessment.objects.get(title='Imported in the matrix').pk}/"
    ),
    "submit_post": lambda w: f"{_base(w)}/",
    "review_comment": lambda w: f"{_base(w)}/review/",
    "review_return": lambda w: f"{_base(w)}/review/",
    "review_approve": lambda w: f"{_base(w)}/review/",
    "review_reopen": lambda w: f"{_base(w)}/review/",
    "comment_resolve": lambda w: f"{_base(w)}/",
    "threads_post": _on_threat,
    "comment_reply": lambda w: f"{_base(w)}/threads/",
    "comment_reopen": lambda w: f"{_base(w)}/threads/",
    "batch_exports_post": lambda w: f"{_exports(w)}/{_the_export(w).pk}/",
    "batch_export_retry": lambda w: f"{_exports(w)}/{_the_export(w).pk}/",
    "notification_open": lambda w: f"{_base(w)}/",
    "notifications_read_all": lambda w: "/assessments/notifications/",
    "notification_settings_post": lambda w: "/assessments/notifications/settings/",
}


def snapshot() -> dict:
    """Everything these URLs could change, to compare before and after."""
    return {
        "assessments": list(
            Assessment.objects.order_by("pk").values_list(
                "pk", "title", "status", "version", "submitted_at", "approved_at", "owner_id"
            )
        ),
        "collaborators": list(
            Assessment.collaborators.through.objects.order_by("pk").values_list(
                "assessment_id", "user_id"
            )
        ),
        "events": list(
            ReviewEvent.objects.order_by("pk").values_list("pk", "kind", "actor_id", "note")
        ),
        "comments": list(
            Comment.objects.order_by("pk").values_list(
                "pk",
                "text",
                "section_id",
                "threat_id",
                "parent_id",
                "resolved_at",
                "resolved_by_id",
            )
        ),
        "frozen": list(
            FrozenBrief.objects.order_by("pk").values_list("pk", "pdf_sha256", "snapshot_sha256")
        ),
        "content": [model.objects.count() for model in (Answer, PopulationGroup, Threat, Response)],
        "exports": list(
            BatchExport.objects.order_by("pk").values_list("pk", "status", "requested_by_id")
        ),
        "notifications": list(
            Notification.objects.order_by("pk").values_list("pk", "recipient_id", "read_at")
        ),
        "notification_settings": list(
            NotificationSettings.objects.order_by("pk").values_list("user_id", "email", "language")
        ),
    }


def test_the_two_matrices_cover_every_assessment_url():
    from assessments.urls import urlpatterns

    names = {pattern.name for pattern in urlpatterns}
    covered_here = {case.url_name for case in CASES.values()}
    assert set(CASES) == set(EXPECTED)
    assert covered_here | set(content_matrix.URLS) == names
    assert not covered_here & set(content_matrix.URLS)
    posts = {name for name, case in CASES.items() if case.method == "post"}
    assert set(CHANGED) == set(SUCCESS_REDIRECT) == posts
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


def _cases():
    params = []
    for name, row in EXPECTED.items():
        for i, role in enumerate(ROLES):
            params.append(pytest.param(name, role, row[i], id=f"{name}-{role}"))
    return params


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _check_download(name: str, w: World, response, renders: list, before_renders: int) -> None:
    """What a 200 from a download URL carries."""
    assert response["X-Content-Type-Options"] == "nosniff"
    if name.startswith(("brief", "frozen")):
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith('attachment; filename="')
        new_renders = renders[before_renders:]
        if name in ("brief_approved", "frozen_brief"):
            # The frozen bytes, never a fresh rendering.
            assert response.content == bytes(_the_frozen(w).pdf)
            assert new_renders == []
        else:
            assert response.content == renders.pdfs[-1]
            assert new_renders == [(w.assessment.pk, name.endswith("_public"))]
        if name == "frozen_brief":
            assert "-approved-brief-" in response["Content-Disposition"]
    elif name == "export_json":
        assert response["Content-Type"] == "application/json"
        assert json.loads(response.content)["assessment"]["title"] == "Northern assessment"
    elif name == "threats_csv":
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert b"Flooding of the camps" in response.content
    elif name == "threats_xlsx":
        assert response["Content-Type"] == XLSX_CONTENT_TYPE
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet["B2"].value == "Flooding of the camps"
    elif name == "batch_export_download":
        assert response["Content-Type"] == "application/zip"
        assert response["Cache-Control"] == "no-store, private"
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
            assert [archive.read(n) for n in pdfs] == [bytes(_the_frozen(w).pdf)]


@pytest.mark.parametrize(("name", "role", "expected"), _cases())
def test_matrix(client, world, fake_render, name, role, expected):
    case = CASES[name]
    STATES[case.state](world)
    url = case.url(world)
    data = case.data(world)
    user = world.users[role]
    before = snapshot()
    renders_before = len(fake_render)

    response = getattr(client_for(client, world, role), case.method)(url, data)

    if expected == "login":
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={quote(url, safe='/')}"
        assert snapshot() == before
        return
    status = expected if isinstance(expected, int) else int(expected[:3])
    assert response.status_code == status
    page = html.unescape(response.content.decode(errors="replace"))
    if status == 403:
        assert REASON_403[name] in page
    if case.method == "get":
        assert snapshot() == before
        if status == 200 and name in (
            "brief_draft",
            "brief_draft_public",
            "brief_approved",
            "brief_approved_public",
            "frozen_brief",
            "export_json",
            "threats_csv",
            "threats_xlsx",
            "batch_export_download",
        ):
            _check_download(name, world, response, fake_render, renders_before)
        if status == 200 and name in ("brief_summary", "public_preview"):
            # The brief's first page on screen: its sections and the content.
            assert "Key messages" in page and "Top risks" in page
            assert "Flooding of the camps" in page
        return
    if expected.endswith("+"):
        assert response["Location"] == SUCCESS_REDIRECT[name](world)
        assert CHANGED[name](world, user)
    else:
        assert snapshot() == before
        assert not CHANGED[name](world, user)
        if status in (200, 400):  # a refused upload is a 400, the page saying why
            assert REFUSAL_TEXT[name] in page


# --- details the matrix does not show -----------------------------------------------------


def test_an_author_supervisor_is_told_why_and_the_decision_is_not_made(client, world, fake_render):
    _submit(world)
    before = snapshot()
    client.force_login(world.users["supervisor_author"])

    response = client.post(
        f"{_base(world)}/review/",
        {"action": "decide", "decision": "approve", "note": "Looks fine to me."},
    )

    assert response.status_code == 200
    assert _messages(response) == [REFUSAL_TEXT["review_approve"]]
    assert snapshot() == before
    assert _now(world).status == Status.SUBMITTED
    assert fake_render == []


def test_a_teammate_who_may_not_resolve_changes_nothing(client, world, fake_render):
    # The matrix expects the 403 of docs/permissions.md (a known bug answers 302 with a
    # message); whatever the answer, the comment stays open.
    _comment(world)
    before = snapshot()
    client.force_login(world.users["teammate"])

    response = client.post(f"{_base(world)}/comments/{_the_comment(world).pk}/resolve/")

    assert response.status_code in (302, 403)
    assert snapshot() == before
    assert _the_comment(world).resolved_at is None


def test_resolving_a_comment_of_another_assessment_is_a_404(client, world, fake_render):
    _comment(world)
    other = AssessmentFactory(team=world.team, owner=world.users["owner"])
    comment = _the_comment(world)
    before = snapshot()
    client.force_login(world.users["supervisor"])

    response = client.post(f"/assessments/{other.pk}/comments/{comment.pk}/resolve/")

    assert response.status_code == 404
    assert snapshot() == before


def test_a_frozen_brief_of_another_assessment_is_a_404(client, world, fake_render):
    _approve(world)
    other = AssessmentFactory(team=world.team, owner=world.users["owner"])
    client.force_login(world.users["supervisor"])

    response = client.get(f"/assessments/{other.pk}/briefs/{_the_frozen(world).pk}.pdf")

    assert response.status_code == 404


def test_an_unknown_brief_variant_is_a_400_and_renders_nothing(client, world, fake_render):
    client.force_login(world.users["owner"])

    response = client.get(f"{_base(world)}/brief.pdf?variant=secret")

    assert response.status_code == 400
    assert fake_render == []


def test_resolving_takes_a_post_only(client, world, fake_render):
    _comment(world)
    before = snapshot()
    client.force_login(world.users["supervisor"])

    response = client.get(f"{_base(world)}/comments/{_the_comment(world).pk}/resolve/")

    assert response.status_code == 405
    assert snapshot() == before


def test_a_real_pdf_comes_back_for_an_allowed_role(client, world):
    # No stand-in here: WeasyPrint renders the draft brief for a practitioner of the team.
    client.force_login(world.users["teammate"])

    response = client.get(f"{_base(world)}/brief.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response.content.rstrip().endswith(b"%%EOF")
    assert len(response.content) > 5000
    assert "-brief-" in response["Content-Disposition"]
