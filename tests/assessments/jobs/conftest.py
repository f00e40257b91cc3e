"""Fixtures of the background-work tests: the database queue, a worker in this process,
and an assessment waiting for a supervisor's decision."""

from __future__ import annotations

import pytest

from assessments.models import Assessment, Membership
from assessments.review import services as workflow
from tests.factories import PopulationGroupFactory, ResponseFactory, ThreatFactory, member

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def db_queue(settings):
    """The database backend, as `make run` and production use it: a task waits in a table
    until a worker takes it."""
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def run_worker(db_queue, monkeypatch):
    """Run django-tasks-db's own worker loop here until the queue is empty; returns how
    many tasks it ran. Its check for stale connections would close the test's
    transaction, so that one call is left out."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def _run() -> int:
        worker = db_worker.Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        )
        worker.run()
        return worker._run_tasks

    return _run


@pytest.fixture
def reviewer(team):
    return member(team, "rita", Membership.Role.SUPERVISOR)


@pytest.fixture
def submitted(assessment, practitioner) -> Assessment:
    group = PopulationGroupFactory(assessment=assessment, name="Displaced women")
    threat = ThreatFactory(assessment=assessment, title="Flooding of the camps")
    threat.affected_groups.add(group)
    ResponseFactory(assessment=assessment, title="Early warning by radio", groups=[group])
    assessment, _gaps = workflow.assessment_submit(assessment=assessment, user=practitioner)
    return assessment
