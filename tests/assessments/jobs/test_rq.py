"""The Redis backend (RQ), for scale-out: a brief asked for here goes through Redis to
a real RQ worker in burst mode (`manage.py jobs_worker --batch` with TASKS_BACKEND=rq),
which renders it for real.

Needs the Redis server at HSASSESS_TEST_REDIS_URL (default redis://127.0.0.1:6379/5,
a database of its own). Without it the test is skipped, unless HSASSESS_REQUIRE_REDIS=1
(as in CI) makes that a failure."""

from __future__ import annotations

import io
import os

import pytest
from pypdf import PdfReader

from assessments.briefs.services import brief_request
from assessments.models import Job
from tests.assessments.jobs import processes
from tests.factories import ThreatFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("HSASSESS_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def _require_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        message = f"Redis at {REDIS_URL} does not answer ({exc})"
        if os.environ.get("HSASSESS_REQUIRE_REDIS") == "1":
            pytest.fail(f"HSASSESS_REQUIRE_REDIS=1 but {message}.", pytrace=False)
        pytest.skip(f"{message}; set HSASSESS_REQUIRE_REDIS=1 to make this a failure.")


@pytest.fixture
def rq_queue(settings):
    _require_redis()
    import django_rq

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


def test_a_brief_goes_through_redis_to_an_rq_worker(rq_queue, assessment, practitioner):
    from django_tasks import TaskResultStatus, task_backends

    ThreatFactory(assessment=assessment, title="Flooding of the camps")

    job = brief_request(assessment=assessment, user=practitioner, public=False, language="en")

    job.refresh_from_db()
    assert job.status == "queued"
    assert rq_queue.job_ids == [job.task_result_id]  # sent once the job was committed
    output = processes.finish(
        processes.start(
            ["manage.py", "jobs_worker", "--batch"],
            TASKS_BACKEND="rq",
            TASKS_REDIS_URL=REDIS_URL,
        )
    )
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == ("done", 1, ""), output
    assert "Job OK" in output, output  # RQ's own word: its worker ran the task
    assert rq_queue.job_ids == []
    result = task_backends["default"].get_result(job.task_result_id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "done"
    pdf = PdfReader(io.BytesIO(bytes(Job.objects.get().result)))
    assert assessment.title in pdf.pages[0].extract_text()
    assert job.result_type == "application/pdf"
