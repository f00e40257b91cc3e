"""Background work of the briefs: a large brief, rendered away from the request."""

from __future__ import annotations

from django_tasks import task

from assessments.briefs import render
from assessments.jobs.runner import Save, run_job
from assessments.models import Job


@task()
def render_brief(job_id: int) -> str:
    """Render the draft or public brief a person asked for, as the job's result."""
    return run_job(job_id, work=_render)


def _render(job: Job) -> Save:
    public = job.params.get("variant") == "public"
    language = render.brief_language(job.assessment, job.params.get("language"))
    pdf = render.render_brief_pdf(assessment=job.assessment, public=public, language=language)
    filename = render.brief_filename(job.assessment, public=public, language=language)

    def save(job: Job) -> None:
        job.result = pdf
        job.result_name = filename
        job.result_type = "application/pdf"

    return save
