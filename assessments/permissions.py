"""Who may do what with an assessment: the table in DESIGN.md, in one place.

Pages name the permission they need (`RULES`, asked by `access.assessment_view`, which
fetches through Assessment.objects.visible_to(user), so what a person may not see is a
404); templates ask the predicates through the `perms_for` helper so buttons only show
for people who may press them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import connections, router
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Answer,
    Assessment,
    BatchExport,
    ComponentTag,
    Indicator,
    Job,
    Membership,
    PopulationGroup,
    Quote,
    Response,
    ReviewEvent,
    Source,
    Team,
    Threat,
    VersionMove,
)
from assessments.models.teams import team_roles_of

SUPERVISOR = Membership.Role.SUPERVISOR


def team_roles(user) -> dict[int, str]:
    """team id -> role, computed once per user object (one query per request)."""
    return team_roles_of(user)


def teams_for_new_assessment(user):
    if user.is_superuser:
        return Team.objects.all()
    return Team.objects.filter(memberships__user=user)


def can_create_in(user, team: Team) -> bool:
    return user.is_authenticated and (user.is_superuser or team.pk in team_roles(user))


def can_view(user, assessment: Assessment) -> bool:
    return user.is_authenticated and (user.is_superuser or assessment.team_id in team_roles(user))


def is_author(user, assessment: Assessment) -> bool:
    """Owner or collaborator (collaborators are prefetched on pages that ask often)."""
    if assessment.owner_id == user.pk:
        return True
    return any(c.pk == user.pk for c in assessment.collaborators.all())


def is_supervisor_of(user, assessment: Assessment) -> bool:
    return user.is_superuser or team_roles(user).get(assessment.team_id) == SUPERVISOR


def can_author(user, assessment: Assessment) -> bool:
    """May work on the content (status aside): the owner or a collaborator still in the team,
    or a superuser."""
    if not can_view(user, assessment):
        return False
    return user.is_superuser or is_author(user, assessment)


def can_edit(user, assessment: Assessment) -> bool:
    return assessment.is_editable_status and can_author(user, assessment)


def can_manage_collaborators(user, assessment: Assessment) -> bool:
    return assessment.is_editable_status and (
        user.is_superuser or (assessment.owner_id == user.pk and can_view(user, assessment))
    )


def can_submit(user, assessment: Assessment) -> bool:
    return can_edit(user, assessment)


def can_comment(user, assessment: Assessment) -> bool:
    return can_view(user, assessment) and is_supervisor_of(user, assessment)


def can_resolve_comment(user, assessment: Assessment) -> bool:
    """Resolve or reopen a thread: either side of the review."""
    return can_comment(user, assessment) or can_author(user, assessment)


def can_reply(user, assessment: Assessment) -> bool:
    """Reply in a thread: its authors and the team's supervisors; other teammates read."""
    return can_resolve_comment(user, assessment)


def _involvement_parts(assessment_ids: list[int], user_id: int | None) -> list[QuerySet]:
    """(assessment id, person id) pairs, one queryset per place the history keeps them."""
    history = Assessment.history.model
    ever_collaborators = apps.get_model("assessments", "HistoricalAssessment_collaborators")
    # A review move (submit, return, approve, reopen) saves the assessment without a new
    # version; a change of its context always makes one. So the record that opens a
    # version is an edit, and its author an editor, while a reviewer's move is not.
    opens_a_version = ~Exists(
        history.objects.filter(
            id=OuterRef("id"), version=OuterRef("version"), history_id__lt=OuterRef("history_id")
        )
    )
    threat_of = Subquery(
        Threat.history.filter(id=OuterRef("threat_id")).values("assessment_id")[:1]
    )
    parts = [
        (history.objects, "id", "owner_id"),
        (history.objects.filter(opens_a_version), "id", "history_user_id"),
        (Assessment.collaborators.through.objects, "assessment_id", "user_id"),
        (ever_collaborators.objects, "assessment_id", "user_id"),
        (ReviewEvent.objects.filter(kind=ReviewEvent.Kind.SUBMITTED), "assessment_id", "actor_id"),
        (VersionMove.objects, "assessment_id", "by_id"),
        (VersionMove.objects, "assessment_id", "undone_by_id"),
        *(
            (model.history, "assessment_id", "history_user_id")
            for model in (Answer, PopulationGroup, Threat, Response, Source, Quote)
        ),
        *(
            (model.history.annotate(of=threat_of), "of", "history_user_id")
            for model in (ComponentTag, Indicator)
        ),
    ]
    querysets = []
    for qs, assessment_field, user_field in parts:
        qs = qs.filter(**{f"{assessment_field}__in": assessment_ids})
        if user_id is not None:
            qs = qs.filter(**{user_field: user_id})
        querysets.append(qs.order_by().values_list(assessment_field, user_field))
    return querysets


# Building the 14-part union costs the ORM about 10 ms a time, more than running it; the
# dashboard and every decision ask it. So its SQL is built once per database, number of
# assessments and with/without a person, with marks in place of the values, and reused
# with the real values put where the marks were. Ids are positive: no mark is a value.
_ID_MARK = -(10**12)
_USER_MARK = -(10**12) + 10**6
_COMPILED: dict[tuple[str, int, bool], tuple[str, list]] = {}


def _involvement_sql(alias: str, n: int, with_user: bool) -> tuple[str, list]:
    key = (alias, n, with_user)
    if key not in _COMPILED:
        marks = [_ID_MARK - i for i in range(n)]
        first, *rest = _involvement_parts(marks, _USER_MARK if with_user else None)
        sql, params = first.union(*rest).query.get_compiler(alias).as_sql()
        slots = []
        for value in params:
            if value == _USER_MARK:
                slots.append(("user", None))
            elif isinstance(value, int) and _ID_MARK - n < value <= _ID_MARK:
                slots.append(("id", _ID_MARK - value))
            else:
                slots.append(("value", value))
        _COMPILED[key] = (sql, slots)
    return _COMPILED[key]


def involvement(assessment_ids: list[int], *, user=None) -> set[tuple[int, int]]:
    """Who ever had a hand in these assessments, in one query: (assessment id, person id)
    for every owner, collaborator, submitter and editor the history has ever recorded,
    limited to one person if `user` is given."""
    ids = sorted(set(assessment_ids))
    if not ids:
        return set()
    alias = router.db_for_read(Assessment)
    sql, slots = _involvement_sql(alias, len(ids), user is not None)
    params = [
        user.pk if kind == "user" else ids[arg] if kind == "id" else arg for kind, arg in slots
    ]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {(a, u) for a, u in rows if a is not None and u is not None}


def involved_ids(assessment: Assessment) -> set[int]:
    """Everyone who ever owned, collaborated on, submitted or edited it (cached on the
    object: one query per assessment and request)."""
    cached = getattr(assessment, "_hs_involved", None)
    if cached is None:
        cached = {u for _a, u in involvement([assessment.pk])}
        assessment._hs_involved = cached
    return cached


def has_worked_on(user, assessment: Assessment) -> bool:
    """Ever its owner, a collaborator, its submitter, or the author of any change to it."""
    return user.is_authenticated and (
        is_author(user, assessment) or user.pk in involved_ids(assessment)
    )


def eligible_supervisors(assessment: Assessment, *, collaborators=()) -> list:
    """The team's supervisors who may still return or approve it, were `collaborators`
    added now."""
    barred = involved_ids(assessment) | {u.pk for u in collaborators}
    return [
        m.user
        for m in Membership.objects.filter(team_id=assessment.team_id, role=SUPERVISOR)
        .select_related("user")
        .order_by("user__username")
        if m.user_id not in barred and m.user.is_active
    ]


def can_decide(user, assessment: Assessment) -> bool:
    """Return or approve: a supervisor of the team who never had a hand in it (separation
    of duties). A superuser is no exception: the operator delegates, never self-approves."""
    return (
        assessment.status == Assessment.Status.SUBMITTED
        and can_view(user, assessment)
        and is_supervisor_of(user, assessment)
        and not has_worked_on(user, assessment)
    )


def can_reopen(user, assessment: Assessment) -> bool:
    return (
        assessment.status == Assessment.Status.APPROVED
        and can_view(user, assessment)
        and is_supervisor_of(user, assessment)
    )


def can_record_reading(user, assessment: Assessment) -> bool:
    """Readings are monitoring, not analysis: the authors and the team's supervisors
    record them in any status, an approved assessment's too, without reopening it."""
    return can_view(user, assessment) and (
        is_supervisor_of(user, assessment) or can_author(user, assessment)
    )


def can_reassess(user, assessment: Assessment) -> bool:
    """Start a new draft from an approved assessment: its authors and the team's
    supervisors (the service refuses any other status, saying why)."""
    return can_record_reading(user, assessment)


def can_export_final(user, assessment: Assessment) -> bool:
    """An approved brief (frozen or public edition) goes to the team's supervisors, who
    share it, and to its authors, who may always read what they wrote (DESIGN.md)."""
    return can_view(user, assessment) and (
        is_supervisor_of(user, assessment) or can_author(user, assessment)
    )


def can_download_brief(user, assessment: Assessment) -> bool:
    """Before approval every member of the team reads the DRAFT brief; after it, the
    authors and the supervisors (can_export_final)."""
    if assessment.status == Assessment.Status.APPROVED:
        return can_export_final(user, assessment)
    return can_view(user, assessment)


def teams_supervised_by(user):
    """The teams whose approved briefs this person may export in a batch."""
    if not user.is_authenticated:
        return Team.objects.none()
    if user.is_superuser:
        return Team.objects.all()
    return Team.objects.filter(memberships__user=user, memberships__role=SUPERVISOR)


def _supervises(user, team_id: int) -> bool:
    return user.is_authenticated and (
        user.is_superuser or team_roles(user).get(team_id) == SUPERVISOR
    )


def can_export_team(user, team: Team) -> bool:
    """A batch of a team's approved briefs goes out through its supervisors, like each one."""
    return _supervises(user, team.pk)


def can_export_some_team(user) -> bool:
    return user.is_authenticated and (user.is_superuser or SUPERVISOR in team_roles(user).values())


def can_see_batch_export(user, export: BatchExport) -> bool:
    """The person who asked and the other supervisors of the team (the asker only while
    they still supervise it)."""
    return _supervises(user, export.team_id)


# A background job is followed, and its result taken, under the rule of what it makes:
# a brief's job and the approved brief's freezing alike under the brief's.
JOB_RULES = {Job.Kind.BRIEF: "download_brief", Job.Kind.FREEZE: "download_brief"}


def can_see_job(user, job: Job) -> bool:
    """Others get a 404: the page says nothing of a job one may not follow."""
    if not user.is_authenticated:
        return False
    if job.assessment_id is None:
        return user.is_superuser or job.requested_by_id == user.pk
    return RULES[JOB_RULES[job.kind]].who(user, job.assessment)


def perms_for(user, assessment: Assessment) -> dict[str, bool]:
    """Every predicate at once, for templates."""
    return {
        "view": can_view(user, assessment),
        "edit": can_edit(user, assessment),
        "manage_collaborators": can_manage_collaborators(user, assessment),
        "submit": can_submit(user, assessment),
        "comment": can_comment(user, assessment),
        "resolve_comment": can_resolve_comment(user, assessment),
        "reply": can_reply(user, assessment),
        "decide": can_decide(user, assessment),
        "reopen": can_reopen(user, assessment),
        "download_brief": can_download_brief(user, assessment),
        "export_final": can_export_final(user, assessment),
        "record_reading": can_record_reading(user, assessment),
        "reassess": can_reassess(user, assessment)
        and assessment.status == Assessment.Status.APPROVED,
    }


@dataclass(frozen=True)
class Rule:
    """A permission as a page asks for it: `who` may (others are refused with `refusal`,
    which the 403 page shows) and, for moves the status can forbid, whether the status
    allows it now (`status_allows`; if not, the person is told `locked`)."""

    who: Callable[..., bool]
    refusal: Promise
    status_allows: Callable[[Assessment], bool] | None = None
    locked: Promise | None = None

    def allows(self, user, assessment: Assessment) -> bool:
        return self.who(user, assessment) and (
            self.status_allows is None or self.status_allows(assessment)
        )


def _editable_status(assessment: Assessment) -> bool:
    return assessment.is_editable_status


# The names pages ask for. "edit" is `can_edit` split in two, so that an author who
# meets a locked assessment is told why instead of being refused. "submit" leaves the
# status to the service, which explains what stands in the way.
RULES: dict[str, Rule] = {
    "view": Rule(can_view, _("You may not see this assessment.")),
    "edit": Rule(
        can_author,
        _("Only the owner and collaborators may change this assessment."),
        status_allows=_editable_status,
        locked=_(
            "This assessment is %(status)s: it cannot be changed until a supervisor returns "
            "or reopens it."
        ),
    ),
    "submit": Rule(can_author, _("Only the owner or a collaborator may submit this assessment.")),
    "comment": Rule(can_comment, _("Only supervisors of the team review assessments.")),
    "resolve_comment": Rule(
        can_resolve_comment, _("You may not resolve comments on this assessment.")
    ),
    "reply": Rule(can_reply, _("Only the authors and the team's supervisors reply in threads.")),
    "download_brief": Rule(
        can_download_brief,
        _("The approved brief is for its authors and the team's supervisors."),
    ),
    "export_final": Rule(
        can_export_final,
        _("Approved briefs are for their authors and the team's supervisors."),
    ),
    "record_reading": Rule(
        can_record_reading,
        _("Only the authors and the team's supervisors record readings."),
    ),
    "reassess": Rule(
        can_reassess,
        _("Only the authors and the team's supervisors may re-assess."),
    ),
}
