"""Re-assessing a context: a new draft from an approved assessment, carrying everything
over (answers, groups, threats with their tags, indicators and thresholds, responses and
their links) and linked to it as its baseline.

The copy goes through the one write path the import uses: the baseline is exported as
a document and imported as a new draft (so every row is written by the services, in the
history, with its author). Readings stay with the baseline: the new draft starts its own
series, and the deltas compare the two. It then moves to the framework's latest published
version with the upgrade concern's rules when nothing stands in the way; otherwise it
stays on the baseline's version and the person is told why (the upgrade page moves it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.content.selectors import AssessmentData
from assessments.interchange.document import assessment_document
from assessments.interchange.importer import import_assessment
from assessments.models import Assessment
from assessments.upgrade.selectors import move_plan
from assessments.upgrade.services import assessment_move
from frameworks.selectors import latest_published_version


@dataclass
class Reassessment:
    assessment: Assessment
    moved_to: int | None  # the framework version number it moved to, if it moved
    stayed_because: list[str]  # why it stayed on the baseline's version, if it did


@transaction.atomic
def assessment_reassess(*, baseline: Assessment, user) -> Reassessment:
    """Start a new draft, owned by `user`, from the approved `baseline`."""
    baseline = Assessment.objects.select_for_update().get(pk=baseline.pk)
    if baseline.status != Assessment.Status.APPROVED:
        raise ValidationError(
            _(
                "Only an approved assessment can be re-assessed; this one is %(status)s. "
                "Finish and approve it first, or edit it."
            )
            % {"status": baseline.get_status_display().lower()}
        )
    if not permissions.can_reassess(user, baseline):
        raise ValidationError(_("Only the authors and the team's supervisors may re-assess."))
    document = assessment_document(AssessmentData(baseline))
    for threat in document["threats"]:
        for indicator in threat["indicators"]:
            indicator["readings"] = []
    draft = import_assessment(document=document, owner=user, team=baseline.team)
    draft.baseline = baseline
    draft._history_user = user
    draft.save(update_fields=["baseline"])
    return _to_latest(draft, user)


def _to_latest(draft: Assessment, user) -> Reassessment:
    current = draft.framework_version
    latest = latest_published_version(current.framework)
    if latest is None or latest.number <= current.number:
        return Reassessment(draft, None, [])
    blockers = move_plan(draft, latest).blockers
    if blockers:
        return Reassessment(draft, None, blockers)
    assessment_move(assessment=draft, to_version=latest, user=user)
    draft.refresh_from_db()
    return Reassessment(draft, latest.number, [])


@transaction.atomic
def baseline_link(*, assessment: Assessment, baseline: Assessment, user) -> Assessment:
    """Link an existing draft of the same team to an approved baseline (the demo's sample
    was written before its baseline was recorded)."""
    if (
        baseline.status != Assessment.Status.APPROVED
        or baseline.team_id != assessment.team_id
        or baseline.pk == assessment.pk
    ):
        raise ValidationError(_("A baseline is an approved assessment of the same team."))
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.baseline = baseline
    assessment._history_user = user
    assessment.save(update_fields=["baseline"])
    return assessment
