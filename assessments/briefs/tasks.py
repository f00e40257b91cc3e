"""Background work of the briefs: a large brief, rendered away from the request."""

from __future__ import annotations

from django_tasks import task

from assessments.briefs import render
from assessments.interchange.document import export_filename
from assessments.jobs.runner import Save, run_job
from assessments.models import Job


@task()
def render_brief(job_id: int) -> str:
    """Render the draft or public brief a person asked for, as the job's result."""
    return run_job(job_id, work=_render)


def _render(job: Job) -> Save:
    public = job.params.get("variant") == "public"
    pdf = render.render_brief_pdf(assessment=job.assessment, public=public)
    suffix = "-public" if public else ""
    filename = export_filename(job.assessment, "pdf", suffix=suffix + "-brief")

    def save(job: Job) -> None:
        job.result = pdf
        job.result_name = filename
        job.result_type = "application/pdf"

    return save
