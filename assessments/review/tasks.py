"""Background work of the review: freezing the approved brief."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_tasks import task

from assessments.briefs import render
from assessments.content.selectors import AssessmentData
from assessments.interchange.document import assessment_document, document_bytes
from assessments.jobs.runner import JobError, Save, run_job
from assessments.models import Job
from assessments.review import services


@task()
def freeze_brief(job_id: int) -> str:
    """Render the brief of one approval and store it with the approval's snapshot."""
    return run_job(job_id, work=_freeze)


def _freeze(job: Job) -> Save:
    # Freeze exactly what was approved. The assessment cannot change until its brief is
    # frozen (reopening waits for it), so it still reads as the snapshot taken at
    # approval; this check makes sure rather than trusts it.
    assessment = job.assessment
    now = document_bytes(assessment_document(AssessmentData(assessment)))
    if now != job.snapshot.encode("utf-8"):
        raise JobError(
            _(
                "The assessment changed after it was approved, so this approval's brief "
                "cannot be frozen. Reopen the assessment and approve it again."
            )
        )
    # The approved brief is the analysis's document: in its language, whoever approved.
    pdf = render.render_brief_pdf(assessment=assessment, language=assessment.language)

    def save(job: Job) -> None:
        services.frozen_brief_save(approval=job.approval, pdf=pdf, snapshot=job.snapshot)

    return save
