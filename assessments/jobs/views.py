"""The page a person follows background work on, the status its script asks for, the
result, and trying again after a failure."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.access import file_response
from assessments.jobs import selectors, services
from assessments.models import Job

Status = Job.Status


def _title(job: Job) -> str:
    title = job.assessment.title if job.assessment else ""
    if job.kind == Job.Kind.FREEZE:
        return _("Approved brief of “%(title)s”") % {"title": title}
    if job.params.get("variant") == "public":
        return _("Public brief of “%(title)s”") % {"title": title}
    return _("Brief of “%(title)s”") % {"title": title}


def _message(job: Job) -> str:
    if job.status == Status.QUEUED:
        return _("Waiting for a worker to start. This page follows it by itself.")
    if job.status == Status.RUNNING:
        return _("Being prepared now. This page follows it by itself.")
    if job.status == Status.DONE:
        return _("Ready.")
    return _("It could not be done.")


def _result_url(job: Job) -> str | None:
    if job.status != Status.DONE:
        return None
    if job.kind == Job.Kind.FREEZE:
        # This approval's frozen brief, which stays on record after a reopen.
        frozen = selectors.frozen_brief_of(job)
        return reverse("assessments:frozen_brief", args=[job.assessment_id, frozen])
    return reverse("jobs:result", args=[job.pk])


@require_GET
def job_detail(request, job_id: int):
    job = selectors.job_for_page(request.user, job_id)
    changed_since = (
        job.kind == Job.Kind.BRIEF
        and job.status == Status.DONE
        and job.assessment.updated_at > job.created_at
    )
    return render(
        request,
        "assessments/job_detail.html",
        {
            "job": job,
            "title": _title(job),
            "message": _message(job),
            "result_url": _result_url(job),
            "changed_since": changed_since,
        },
    )


@require_GET
def job_status(request, job_id: int):
    """What the page's script polls (static/js/job-status.js)."""
    job = selectors.job_for_page(request.user, job_id)
    # Polled by the page; the no-store middleware keeps every copy out of caches.
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "message": _message(job),
            "finished": job.is_finished,
            "result_url": _result_url(job),
        }
    )


@require_GET
def job_result(request, job_id: int):
    job = selectors.job_for_page(request.user, job_id)
    url = _result_url(job)
    if url is None:
        raise Http404
    if job.kind == Job.Kind.FREEZE:
        return redirect(url)
    data = selectors.job_result(job)
    if data is None:
        raise Http404
    return file_response(job.result_name, job.result_type, data)


@require_POST
def job_retry(request, job_id: int):
    job = selectors.job_for_page(request.user, job_id)
    try:
        services.job_retry(job=job, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Queued again."))
    return redirect("jobs:detail", job.pk)
