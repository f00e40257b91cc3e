"""Who may follow a background job, take its result and try it again × every role.

Written out by hand from the rule (assessments/permissions.py: JOB_RULES): a job is
followed under the rule of what it makes. A brief of a draft goes to every member of the
team, like the brief itself; the freezing of an approved brief to the team's supervisors,
like the approved brief. Everyone else gets a 404 (the page says nothing of a job one may
not follow); anonymous people sign in first. The same roles as the review matrix
(tests/assessments/review/test_permissions_review.py), whose world this file reuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from assessments.briefs import render as brief_render
from assessments.jobs.urls import urlpatterns
from assessments.models import FrozenBrief, Job
from assessments.review import services as workflow
from tests.assessments.review import test_permissions_review as review_matrix
from tests.assessments.review.test_permissions_review import ROLES, World, client_for
from tests.standins import STAND_IN_PDF

pytestmark = pytest.mark.django_db

# The review matrix's world and settings, as fixtures of this module too.
world = review_matrix.world
_fast_and_quiet = review_matrix._fast_and_quiet


def _brief_job(w: World, status: str) -> Job:
    """A brief of the draft, asked for by its owner and rendered (or failed)."""
    return Job.objects.create(
        kind=Job.Kind.BRIEF,
        assessment=w.assessment,
        requested_by=w.users["owner"],
        params={"variant": "full", "language": "en"},
        status=status,
        result=STAND_IN_PDF if status == "done" else None,
        result_name="northern-assessment-brief.pdf",
        result_type="application/pdf",
        error="It failed." if status == "failed" else "",
        lease_until=timezone.now() + timedelta(minutes=1) if status == "running" else None,
    )


def _freeze_job(w: World, status: str, monkeypatch) -> Job:
    """The freezing of the approval by sue, done (or failed: the renderer broke)."""
    if status == "failed":
        monkeypatch.setattr(brief_render, "render_brief_pdf", _broken)
    workflow.assessment_submit(assessment=w.assessment, user=w.users["owner"])
    workflow.assessment_approve(assessment=w.assessment, user=w.users["supervisor"])
    monkeypatch.undo()
    job = Job.objects.get(kind=Job.Kind.FREEZE)
    assert job.status == status
    return job


def _broken(**kwargs):
    raise RuntimeError("the renderer broke")


@dataclass(frozen=True)
class Case:
    url_name: str  # the name in assessments/jobs/urls.py
    method: str
    job: str  # "brief" or "freeze"
    status: str  # the job's status before the request
    path: str  # after /jobs/<id>/


CASES = {
    "brief_page": Case("detail", "get", "brief", "queued", ""),
    "brief_status": Case("status", "get", "brief", "running", "status.json"),
    "brief_result": Case("result", "get", "brief", "done", "result"),
    "brief_retry": Case("retry", "post", "brief", "failed", "retry/"),
    "freeze_page": Case("detail", "get", "freeze", "done", ""),
    "freeze_result": Case("result", "get", "freeze", "done", "result"),
    "freeze_retry": Case("retry", "post", "freeze", "failed", "retry/"),
}

# Columns follow ROLES: anonymous, owner, collaborator, teammate, outsider, supervisor,
# supervisor_author, other_supervisor, superuser, ex_collaborator (a supervisor: as
# "supervisor"), editing_superuser (as "superuser"). GET: the status code. POST: the status
# code, then "+" the job was queued again (and, run at once here, done) or "=" unchanged.
_TABLE = {
    # case          anony owner colla teamm outsi super sup.a oth.s super ex.co ed.su
    "brief_page":    "login 200   200   200   404   200   200   404   200   200   200",
    "brief_status":  "login 200   200   200   404   200   200   404   200   200   200",
    "brief_result":  "login 200   200   200   404   200   200   404   200   200   200",
    "brief_retry":   "login 302+  302+  302+  404=  302+  302+  404=  302+  302+  302+",
    "freeze_page":   "login 200   200   404   404   200   200   404   200   200   200",
    "freeze_result": "login 302   302   404   404   302   302   404   302   302   302",
    "freeze_retry":  "login 302+  302+  404=  404=  302+  302+  404=  302+  302+  302+",
}  # fmt: skip
EXPECTED = {
    name: tuple(int(cell) if cell.isdigit() else cell for cell in row.split())
    for name, row in _TABLE.items()
}


def test_the_matrix_covers_every_job_url():
    assert {case.url_name for case in CASES.values()} == {p.name for p in urlpatterns}
    assert set(CASES) == set(EXPECTED)
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


def _cases():
    return [
        pytest.param(name, role, row[i], id=f"{name}-{role}")
        for name, row in EXPECTED.items()
        for i, role in enumerate(ROLES)
    ]


@pytest.mark.parametrize(("name", "role", "expected"), _cases())
def test_matrix(client, world, fake_render, monkeypatch, name, role, expected):
    case = CASES[name]
    if case.job == "brief":
        job = _brief_job(world, case.status)
    else:
        job = _freeze_job(world, case.status, monkeypatch)
    url = f"/jobs/{job.pk}/{case.path}"

    response = getattr(client_for(client, world, role), case.method)(url)

    job_after = Job.objects.get(pk=job.pk)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={quote(url, safe='/')}"
        assert job_after.status == case.status
        return
    status = expected if isinstance(expected, int) else int(expected[:3])
    assert response.status_code == status
    if case.method == "get":
        assert job_after.status == case.status
        if status == 200 and name == "brief_result":
            assert response.content == STAND_IN_PDF
            assert response["X-Content-Type-Options"] == "nosniff"
        if status == 302:  # the brief it froze, under that brief's own rule
            frozen = FrozenBrief.objects.get(approval=job.approval)
            assert response["Location"] == (
                f"/assessments/{world.assessment.pk}/briefs/{frozen.pk}.pdf"
            )
        if status == 200 and name == "brief_status":
            assert response.json()["status"] == "running"
        return
    if expected.endswith("+"):
        assert response["Location"] == f"/jobs/{job.pk}/"
        assert job_after.status == "done"
        assert job_after.requested_by is not None
    else:
        assert job_after.status == "failed"


def test_a_job_of_no_assessment_is_its_requesters_alone(client, world):
    # Work across assessments (batch exports) has no assessment to take a rule from.
    job = Job.objects.create(kind=Job.Kind.BRIEF, requested_by=world.users["teammate"])

    def status(role):
        client.logout()
        return client_for(client, world, role).get(f"/jobs/{job.pk}/").status_code

    assert status("teammate") == 200
    assert status("superuser") == 200
    assert status("supervisor") == 404
    assert status("owner") == 404


def test_an_unknown_job_is_a_404(client, world):
    client_for(client, world, "superuser")

    assert client.get("/jobs/999999/").status_code == 404
    assert client.get("/jobs/999999/status.json").status_code == 404
