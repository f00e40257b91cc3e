"""The worker gives way to the web server: it lowers its own CPU priority (nice) before
it takes any job, by JOBS_WORKER_NICE, so a brief rendering beside the pages slows them
as little as the machine allows."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def run_worker() -> None:
    # Tests run tasks at once (no queue), so the worker stops right after its start: the
    # priority is set by then.
    with pytest.raises(CommandError, match="nothing for this command to do"):
        call_command("jobs_worker", batch=True, verbosity=0)


@pytest.fixture
def niced(monkeypatch):
    calls = []
    monkeypatch.setattr("os.nice", lambda n: calls.append(n) or n)
    return calls


def test_the_worker_lowers_its_priority_before_working(niced, settings):
    settings.JOBS_WORKER_NICE = 10
    run_worker()
    assert niced == [10]


def test_zero_leaves_the_priority_alone(niced, settings):
    settings.JOBS_WORKER_NICE = 0
    run_worker()
    assert niced == []
