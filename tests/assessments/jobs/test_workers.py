"""Real workers in their own processes, on the test database: a database worker killed
mid-job (SIGKILL, nothing runs after it) leaves the job to the next worker, which does
it; its effect, the frozen brief, exists exactly once.

The test database is shared with the workers, so these tests commit (transactional_db);
on SQLite it is a file for that reason (tests/conftest.py)."""

from __future__ import annotations

import signal
import time

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments.models import FrozenBrief, Job
from assessments.review import services as workflow
from tests.assessments.jobs import processes
from tests.standins import STAND_IN_PDF

pytestmark = pytest.mark.django_db(transaction=True)

LEASE_SECONDS = 2


def _wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_a_worker_killed_mid_job_leaves_it_to_the_next_one_which_does_it_once(
    tmp_path, db_queue, fake_render, submitted, reviewer
):
    workflow.assessment_approve(assessment=submitted, user=reviewer)
    job = Job.objects.get()
    first_task = job.task_result_id
    renders = tmp_path / "renders.log"
    env = {"HSASSESS_TEST_FLAGS": str(tmp_path), "JOB_LEASE_SECONDS": str(LEASE_SECONDS)}
    worker_module = ["-m", "tests.assessments.jobs.blocking_worker"]

    first = processes.start(worker_module, **env)
    try:
        _wait_for(lambda: renders.exists() and renders.read_text().strip(), "the first render")
        job.refresh_from_db()
        assert (job.status, job.attempts) == ("running", 1)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        first.kill()
        first.communicate()
    assert first.returncode == -signal.SIGKILL
    assert not FrozenBrief.objects.exists()
    assert DBTaskResult.objects.get(id=first_task).status == "RUNNING"  # and so it stays

    # The dead worker's heartbeat has stopped: once its lease runs out, the next worker
    # takes the job back and does it.
    (tmp_path / "go").touch()
    _wait_for(lambda: Job.objects.get().lease_until < timezone.now(), "the lease to run out", 30)
    output = processes.finish(processes.start(worker_module, **env))

    job.refresh_from_db()
    assert f"Queued again (their worker stopped): jobs [{job.pk}]" in output
    assert (job.status, job.attempts, job.error) == ("done", 2, "")
    frozen = FrozenBrief.objects.get()  # exactly one
    killed, finisher = renders.read_text().split()
    assert bytes(frozen.pdf) == STAND_IN_PDF + f" rendered by {finisher}".encode()
    assert killed != finisher
    assert frozen.approval == job.approval
    assert frozen.snapshot == job.snapshot
    # The freezing's tasks only: the approval's notification email is another task.
    freezes = DBTaskResult.objects.exclude(task_path__endswith=".send_email")
    tasks = {str(pk): status for pk, status in freezes.values_list("id", "status")}
    assert len(tasks) == 2
    assert tasks.pop(first_task) == "FAILED"  # recorded as lost, not running for ever
    assert list(tasks.values()) == ["SUCCESSFUL"]
    assert fake_render == []  # nothing was rendered in this process
