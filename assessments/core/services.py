"""Writes to the assessment itself (create, context, collaborators) and the rules
every content write shares: the editable-status lock, versions, the change stamp.

Optimistic concurrency: answers, groups, threats, responses and the assessment itself
carry a `version`. A write names the version it started from; if the stored one is newer
the write raises EditConflict and changes nothing, so the person can see both texts and
choose."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import fields, limits
from assessments.models import (
    Assessment,
    LinkChange,
    Team,
)
from frameworks.models import FrameworkVersion
from frameworks.selectors import latest_published_version


class EditConflict(Exception):
    """Someone saved a newer version of `current` since the person loaded the form."""

    def __init__(self, current: models.Model):
        self.current = current
        super().__init__(f"{current!r} changed since it was loaded")


def assert_editable(assessment: Assessment) -> None:
    # Lock the assessment row for the rest of the transaction: a submit that starts now
    # waits for this save, and a save that starts after a submit sees the new status.
    status = (
        Assessment.objects.select_for_update()
        .filter(pk=assessment.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status not in Assessment.EDITABLE_STATUSES:
        raise ValidationError(
            _(
                "This assessment is %(status)s and cannot be changed. It must be returned "
                "by a supervisor or reopened first."
            )
            % {"status": Assessment.Status(status).label.lower() if status else "?"}
        )


def save_validated(obj: models.Model, user, *, validate_constraints: bool = True) -> None:
    obj._history_user = user
    # The forms' text limits hold for every writer (an import has no form to check them).
    limits.check_texts(obj)
    obj.full_clean(validate_constraints=validate_constraints)
    obj.save()


def errors_at(prefix: str, exc: ValidationError) -> dict[str, list[str]]:
    """The messages of `exc` keyed by where they are under `prefix`: a field error on
    "kind" under "indicators[1]" is at "indicators[1].kind", an error not tied to a field
    at "indicators[1]". A write of several parts names the part that failed this way, so
    an import can say `threats[3].indicators[1].kind: …`."""
    if not hasattr(exc, "error_dict"):
        return {prefix: exc.messages}
    return {
        prefix if field == NON_FIELD_ERRORS else f"{prefix}.{field}": messages
        for field, messages in exc.message_dict.items()
    }


def check_version(obj: models.Model, base_version: int) -> None:
    if obj.version != base_version:
        raise EditConflict(obj)


def touch(assessment: Assessment) -> None:
    # Any change to the content counts as a change of the assessment: lists sort by it,
    # and the overview's cached analysis is keyed on it (microsecond precision, which
    # the database's NOW() lacks on SQLite).
    Assessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())


def log_links(
    *,
    assessment: Assessment,
    relation: str,
    user,
    before: set[tuple[int, int]],
    after: set[tuple[int, int]],
) -> None:
    """Append to the link log the (item id, other id) pairs of `relation` added and removed
    between `before` and `after`; nothing when they are the same."""
    at = timezone.now()
    rows = [
        LinkChange(
            assessment=assessment,
            relation=relation,
            item_id=item_id,
            other_id=other_id,
            added=added,
            at=at,
            user=user,
        )
        for added, pairs in ((True, after - before), (False, before - after))
        for item_id, other_id in sorted(pairs)
    ]
    if rows:
        LinkChange.objects.bulk_create(rows)


@transaction.atomic
def assessment_create(
    *,
    user,
    team: Team,
    framework_version: FrameworkVersion | None = None,
    framework=None,
    **fields: Any,
) -> Assessment:
    """Start a draft pinned to the latest published version of the chosen framework."""
    if framework_version is None:
        framework_version = latest_published_version(framework) if framework else None
    if framework_version is None or framework_version.status != FrameworkVersion.Status.PUBLISHED:
        raise ValidationError(
            {"framework_version": _("Choose a framework with a published version.")}
        )
    collaborators = fields.pop("collaborators", [])
    assessment = Assessment(team=team, owner=user, framework_version=framework_version, **fields)
    save_validated(assessment, user)
    _set_collaborators(assessment, collaborators)
    return assessment


def _set_collaborators(assessment: Assessment, users: Iterable) -> None:
    users = list(users)
    others = {u.pk for u in users} - {assessment.owner_id}
    limits.check_count("collaborators", len(others), field="collaborators")
    members = set(assessment.team.memberships.values_list("user_id", flat=True))
    outsiders = [u for u in users if u.pk not in members]
    if outsiders:
        raise ValidationError(
            {
                "collaborators": _("Collaborators must be members of the team: %(names)s.")
                % {"names": ", ".join(u.get_username() for u in outsiders)}
            }
        )
    assessment.collaborators.set([u for u in users if u.pk != assessment.owner_id])


ASSESSMENT_FIELDS = fields.ASSESSMENT


@transaction.atomic
def assessment_update(
    *,
    assessment: Assessment,
    user,
    base_version: int,
    collaborators: Iterable | None = None,
    **fields: Any,
) -> Assessment:
    """Edit the context of an assessment (title, place, period, key points)."""
    assert_editable(assessment)
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    check_version(current, base_version)
    for name, value in fields.items():
        if name not in ASSESSMENT_FIELDS:
            raise ValueError(f"{name} is not an editable assessment field")
        setattr(current, name, value)
    current.version += 1
    save_validated(current, user)
    if collaborators is not None:
        _set_collaborators(current, collaborators)
    return current
