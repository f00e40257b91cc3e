"""Briefs rendering in the background while bench/load measures the pages.

`BriefLoad(n, ...)` starts n job workers (`manage.py jobs_worker`, the engine of
TASKS_BACKEND) and a feeder thread that keeps n brief jobs of a large assessment queued
or running, so that for the whole measurement n WeasyPrint renderings share the machine
with the app servers, as in production: at a lower CPU priority (nice 19 unless told
otherwise), as the README advises running the worker. `stop()` ends the feeder and
the workers (their own process group each) and says how many briefs were rendered.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path


def lower_priority(nice: int) -> None:
    """Nice the process, and its session's scheduling group where the kernel groups
    sessions (sched_autogroup): there, nice only orders processes within one session,
    and a session of its own would otherwise get as much CPU as the app servers'."""
    os.nice(nice)
    with contextlib.suppress(OSError):
        Path("/proc/self/autogroup").write_text(f"{nice}\n")


class BriefLoad:
    def __init__(self, n: int, *, assessment_id: int, env: dict, root: Path, log, nice: int = 19):
        self.n = n
        self.assessment_id = assessment_id
        self.log = log
        self.stopping = threading.Event()
        self.workers = [
            subprocess.Popen(
                [sys.executable, "manage.py", "jobs_worker", "--interval", "0.2"],
                cwd=root,
                env={**os.environ, **env},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                # As a deployment should run them (README: Background work): below the
                # app servers, so a person's page waits for no PDF.
                preexec_fn=(lambda: lower_priority(nice)) if nice else None,  # noqa: PLW1509
            )
            for _ in range(n)
        ]
        self.started = time.time()
        self.feeder = threading.Thread(target=self._feed, name="brief-feeder", daemon=True)
        self.feeder.start()

    def _feed(self) -> None:
        from django.db import close_old_connections

        from assessments.jobs.services import job_create
        from assessments.models import Assessment, Job

        assessment = Assessment.objects.get(pk=self.assessment_id)
        user = assessment.owner
        try:
            while not self.stopping.is_set():
                in_flight = Job.objects.filter(
                    kind=Job.Kind.BRIEF, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
                ).count()
                for _ in range(self.n - in_flight):
                    job_create(
                        kind=Job.Kind.BRIEF,
                        user=user,
                        assessment=assessment,
                        params={"variant": "full", "language": "en"},
                    )
                self.stopping.wait(0.5)
        finally:
            close_old_connections()

    def running(self) -> int:
        from assessments.models import Job

        return Job.objects.filter(kind=Job.Kind.BRIEF, status=Job.Status.RUNNING).count()

    def wait_rendering(self, timeout: float = 60) -> None:
        """Until n briefs are being rendered (the workers take a moment to start)."""
        deadline = time.monotonic() + timeout
        while self.running() < self.n and time.monotonic() < deadline:
            time.sleep(0.2)

    def stop(self) -> str:
        from django.db.models import Avg, F

        from assessments.models import Job

        self.stopping.set()
        self.feeder.join(timeout=10)
        for proc in self.workers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.workers:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        done = Job.objects.filter(kind=Job.Kind.BRIEF, status=Job.Status.DONE)
        failed = Job.objects.filter(kind=Job.Kind.BRIEF, status=Job.Status.FAILED).count()
        each = done.aggregate(s=Avg(F("finished_at") - F("started_at")))["s"]
        return (
            f"{self.n} job workers rendered {done.count()} briefs in the background during "
            f"the run ({each.total_seconds():.1f} s each on average)"
            if each
            else f"{self.n} job workers rendered no brief to the end during the run"
        ) + (f"; {failed} failed" if failed else "")
