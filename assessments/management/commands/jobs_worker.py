"""Run the worker of the configured task engine (TASKS_BACKEND), and take back the jobs
whose worker died (assessments/jobs/services.py: recover_stale_jobs)."""

import logging
import os
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

from assessments.jobs.services import recover_stale_jobs

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run the background worker of TASKS_BACKEND (db: the database queue; rq: an RQ "
        "worker), and queue again the jobs of workers that died."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Do the work that is waiting, then stop (RQ's burst mode).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between two looks at an empty database queue (default: 1).",
        )

    def handle(self, *args, batch: bool, interval: float, verbosity: int, **options):
        backend = task_backends["default"]
        if settings.JOBS_WORKER_NICE > 0 and hasattr(os, "nice"):
            # Behind the web server for the CPU: pages first, briefs with what is left.
            os.nice(min(settings.JOBS_WORKER_NICE, 19))
        recovered = recover_stale_jobs()
        if recovered:
            self.stdout.write(f"Queued again (their worker stopped): jobs {recovered}")
        if not batch:
            # Another worker may die while this one runs: look again every half lease.
            threading.Thread(target=_keep_recovering, name="job-recovery", daemon=True).start()
        if isinstance(backend, DatabaseBackend):
            call_command(
                "db_worker",
                batch=batch,
                interval=interval,
                reload=False,
                startup_delay=not batch,
                verbosity=verbosity,
            )
        elif type(backend).__module__.startswith("django_tasks_rq"):
            call_command("rqworker", *backend.queues, burst=batch, verbosity=verbosity)
        else:
            raise CommandError(
                f"TASKS_BACKEND={settings.TASKS_BACKEND} runs tasks without a worker: "
                "there is nothing for this command to do."
            )


def _keep_recovering() -> None:
    while True:
        time.sleep(settings.JOB_LEASE_SECONDS / 2)
        try:
            recover_stale_jobs()
        except Exception:
            logger.exception("Taking back the jobs of stopped workers failed; trying later.")
        finally:
            close_old_connections()
