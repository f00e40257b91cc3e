"""Nothing lost under contention (issue 5, part 5).

Several people save the answers and threats of one assessment at the same moment, some
from forms that went stale while they typed. Afterwards every save is either in the
database (its text is in the object's history, at the version after the one it was based
on) or was answered as a conflict (its text is nowhere in the history). A save that was
reported as saved but never landed, or whose outcome is unknown, is a silent loss.

The threaded run needs real row locks, so it runs on PostgreSQL only:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hsassess_contention \\
        .venv/bin/python -m pytest tests/assessments/test_contention.py -q -s

A smaller single-threaded run interleaves stale saves deterministically and runs on every
backend, so SQLite runs still check the conflict accounting. `-s` shows the counts.
"""

from __future__ import annotations

import random
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from assessments.content import services
from assessments.core import services as core_services
from assessments.models import Answer, Assessment, Threat
from frameworks.models import Section
from tests.factories import MembershipFactory, UserFactory
from tests.figures import report_figure
from tests.pages import form_data

_ENGINE = settings.DATABASES["default"]["ENGINE"]
ON_POSTGRESQL = "postgresql" in _ENGINE or "postgis" in _ENGINE

# Every test here commits for real: the threads use their own connections and must see
# the fixtures, and they cannot see a test case's open transaction.
# serialized_rollback: a transactional test ends with a flush, which would also remove
# what data migrations created (the "Framework admins" group) for the tests after it.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The threaded run only (a module-level skipif would also skip the sanity run below).
requires_postgresql = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="contention needs PostgreSQL row locks (set DATABASE_URL)"
)

SECTION = "context"
WORKERS = 8
SECONDS = 5.0
MAX_OPS_PER_WORKER = 60
# Share of operations that go through the pages (GET the form, POST it back), as people do.
HTTP_SHARE = 0.3
# Share of operations that post a version older than the one just read, to be sure some
# saves are stale even when the threads happen not to overlap.
STALE_ON_PURPOSE = 0.1

SECTION_CONFLICT = "Someone else changed"
OBJECT_CONFLICT = "Someone else saved this while you were editing"


@pytest.fixture(autouse=True)
def _static_files_from_finders(settings):
    # As in test_conflicts.py: without collectstatic, WhiteNoise warns on the first
    # request, which is an error under filterwarnings=error.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


# --- reading the forms a browser would post -------------------------------------------------


# --- operations ---------------------------------------------------------------------------------


@dataclass
class Op:
    worker: int
    n: int
    kind: str  # "answer" or "threat"
    target: str  # prompt key or threat pk
    via: str  # "service" or "http"
    text: str
    base: int | None = None
    outcome: str = "unknown"  # "saved", "conflict" or "unknown"
    detail: str = ""


@dataclass
class World:
    """What the workers share: primary keys only, each worker loads its own objects."""

    assessment_pk: int
    section_pk: int
    prompt_keys: list[str]
    threat_pks: list[int]
    user_pks: list[int]


class Worker:
    """One person. `start()` reads the current text and version (the form load) and
    returns the write, to be called later: meanwhile others may save."""

    def __init__(self, world: World, index: int, client: Client, seed: int):
        self.world = world
        self.index = index
        self.client = client
        self.rng = random.Random(seed)
        self.ops: list[Op] = []
        self._loaded = False

    def _load(self):
        # Lazily, on the connection of the thread that runs the worker.
        if self._loaded:
            return
        from django.contrib.auth import get_user_model

        w = self.world
        self.assessment = Assessment.objects.get(pk=w.assessment_pk)
        self.section = Section.objects.get(pk=w.section_pk)
        self.user = get_user_model().objects.get(pk=w.user_pks[self.index % len(w.user_pks)])
        self._loaded = True

    def start(self) -> Callable[[], None]:
        self._load()
        n = len(self.ops)
        kind = self.rng.choice(("answer", "threat"))
        via = "http" if self.rng.random() < HTTP_SHARE else "service"
        if kind == "answer":
            target = self.rng.choice(self.world.prompt_keys)
        else:
            target = str(self.rng.choice(self.world.threat_pks))
        op = Op(self.index, n, kind, target, via, text=f"w{self.index}-op{n}-{kind}-{via}")
        self.ops.append(op)
        stale = self.rng.random() < STALE_ON_PURPOSE
        try:
            return getattr(self, f"_{kind}_{via}")(op, stale)
        except Exception:
            op.detail = traceback.format_exc()
            return lambda: None

    def finish(self, write: Callable[[], None]) -> None:
        op = self.ops[-1]
        if op.detail:  # the read already failed
            return
        try:
            write()
        except Exception:
            op.outcome = "unknown"
            op.detail = traceback.format_exc()

    @staticmethod
    def _stale(version: int, stale: bool) -> int:
        return version - 1 if stale and version > 1 else version

    # answers

    def _answer_service(self, op: Op, stale: bool):
        answer = Answer.objects.get(assessment_id=self.world.assessment_pk, prompt__key=op.target)
        op.base = self._stale(answer.version, stale)

        def write():
            saved, conflicts = services.section_save(
                assessment=self.assessment,
                section=self.section,
                user=self.user,
                texts={op.target: op.text},
                versions={op.target: op.base},
            )
            if saved == 1 and not conflicts:
                op.outcome = "saved"
            elif saved == 0 and [c["prompt"].key for c in conflicts] == [op.target]:
                op.outcome = "conflict"
            else:
                op.detail = f"section_save returned saved={saved}, conflicts={conflicts!r}"

        return write

    def _section_url(self) -> str:
        return f"/assessments/{self.world.assessment_pk}/sections/{SECTION}/"

    def _answer_http(self, op: Op, stale: bool):
        url = self._section_url()
        data = form_data(self.client.get(url))
        op.base = self._stale(int(data[f"version_{op.target}"][0]), stale)
        data[f"version_{op.target}"] = [str(op.base)]
        data[f"text_{op.target}"] = [op.text]

        def write():
            response = self.client.post(url, data)
            page = response.content.decode()
            if response.status_code == 302:
                op.outcome = "saved"
            elif response.status_code == 200 and SECTION_CONFLICT in page:
                # The form carries every prompt as loaded; a conflict on another one still
                # saves this one (the page then offers "keep theirs" only where it conflicts).
                mine = f'name="keep_theirs_{op.target}"' in page
                op.outcome = "conflict" if mine else "saved"
            else:
                op.detail = f"POST {url} answered {response.status_code} without a conflict"

        return write

    # threats

    def _threat_service(self, op: Op, stale: bool):
        threat = Threat.objects.get(pk=int(op.target))
        op.base = self._stale(threat.version, stale)

        def write():
            try:
                services.threat_save(
                    assessment=self.assessment,
                    user=self.user,
                    threat=threat,
                    base_version=op.base,
                    title=op.text,
                )
            except core_services.EditConflict:
                op.outcome = "conflict"
            else:
                op.outcome = "saved"

        return write

    def _threat_http(self, op: Op, stale: bool):
        url = f"/assessments/{self.world.assessment_pk}/threats/{op.target}/edit/"
        data = form_data(self.client.get(url))
        op.base = self._stale(int(data["version"][0]), stale)
        data["version"] = [str(op.base)]
        data["title"] = [op.text]

        def write():
            response = self.client.post(url, data)
            if response.status_code == 302:
                op.outcome = "saved"
            elif response.status_code == 200 and OBJECT_CONFLICT in response.content.decode():
                op.outcome = "conflict"
            else:
                op.detail = f"POST {url} answered {response.status_code} without a conflict"

        return write


# --- the shared assessment ---------------------------------------------------------------------


@pytest.fixture
def world(assessment, team, practitioner) -> World:
    users = [practitioner]
    for i in range(1, WORKERS):
        users.append(MembershipFactory(team=team, user=UserFactory(username=f"worker{i}")).user)
    assessment.collaborators.add(*users[1:])
    section = assessment.framework_version.sections.get(key=SECTION)
    keys = [p.key for p in section.prompts.order_by("order", "pk")[:3]]
    assert len(keys) >= 2, "the context section needs at least two prompts"
    services.section_save(
        assessment=assessment,
        section=section,
        user=practitioner,
        texts={k: f"seed-{k}" for k in keys},
        versions={},
    )
    dimension = assessment.framework_version.dimensions.order_by("order").first()
    threats = [
        services.threat_save(
            assessment=assessment,
            user=practitioner,
            title=f"seed-threat-{i}",
            dimension=dimension,
            likelihood=3,
            severity=3,
            urgency=2,
        )
        for i in range(2)
    ]
    return World(
        assessment_pk=assessment.pk,
        section_pk=section.pk,
        prompt_keys=keys,
        threat_pks=[t.pk for t in threats],
        user_pks=[u.pk for u in users],
    )


def _clients(world: World, count: int) -> list[Client]:
    from django.contrib.auth import get_user_model

    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=world.user_pks)}
    clients = []
    for i in range(count):
        c = Client()
        c.force_login(users[world.user_pks[i % len(world.user_pks)]])
        clients.append(c)
    return clients


# --- checking that nothing was lost ------------------------------------------------------------


def _histories(world: World) -> dict[tuple[str, str], tuple[list[tuple[str, int]], str, int]]:
    """(kind, target) -> (history as [(text, version)] in write order, stored text, version)."""
    out = {}
    for key in world.prompt_keys:
        answer = Answer.objects.get(assessment_id=world.assessment_pk, prompt__key=key)
        rows = list(
            Answer.history.filter(id=answer.pk)
            .order_by("history_id")
            .values_list("text", "version")
        )
        out[("answer", key)] = (rows, answer.text, answer.version)
    for pk in world.threat_pks:
        threat = Threat.objects.get(pk=pk)
        rows = list(
            Threat.history.filter(id=pk).order_by("history_id").values_list("title", "version")
        )
        out[("threat", str(pk))] = (rows, threat.title, threat.version)
    return out


def _verify(world: World, ops: list[Op], label: str, elapsed: float) -> dict[str, int]:
    histories = _histories(world)
    problems: list[str] = []
    lost = half_written = unknown = overwrites = 0

    for (kind, target), (rows, stored_text, stored_version) in histories.items():
        versions = [v for _, v in rows]
        if versions != list(range(1, len(rows) + 1)):
            # Two saves at one version: both were based on the same one, the later one
            # overwrote the earlier without a conflict (a lost update).
            overwrites += len(versions) - len(set(versions))
            problems.append(f"{kind} {target}: history versions {versions} are not 1..n")
        dupes = [t for t, c in Counter(t for t, _ in rows).items() if c > 1]
        if dupes:
            problems.append(f"{kind} {target}: texts written twice: {dupes}")
        if rows and (rows[-1][0], rows[-1][1]) != (stored_text, stored_version):
            problems.append(
                f"{kind} {target}: stored {stored_text!r} v{stored_version} is not the last "
                f"save in history {rows[-1]!r}"
            )
        mine = {op.text: op for op in ops if (op.kind, op.target) == (kind, target)}
        for text, _version in rows[1:]:
            if text not in mine or mine[text].outcome != "saved":
                problems.append(
                    f"{kind} {target}: {text!r} is in history but was not reported saved"
                )

    for op in ops:
        rows = histories[(op.kind, op.target)][0]
        at = dict(rows)
        if op.outcome == "unknown":
            unknown += 1
            problems.append(f"unknown outcome of {op}:\n{op.detail}")
        elif op.outcome == "saved":
            if op.text not in at:
                lost += 1
                problems.append(f"silently lost: {op}")
            elif at[op.text] != op.base + 1:
                # It replaced a save its author never saw: that one is lost from view.
                overwrites += 1
                problems.append(f"{op} saved as v{at[op.text]}, not on top of v{op.base}")
        elif op.text in at:
            half_written += 1
            problems.append(f"answered as a conflict but written: {op}")

    counts = {
        "attempted": len(ops),
        "saved": sum(op.outcome == "saved" for op in ops),
        "conflicts": sum(op.outcome == "conflict" for op in ops),
        "unknown": unknown,
        "silent losses": lost + unknown,
        "conflicts written anyway": half_written,
        "silent overwrites": overwrites,
        "via http": sum(op.via == "http" for op in ops),
        "on answers": sum(op.kind == "answer" for op in ops),
    }
    report_figure(
        f"\n[{label}] "
        + ", ".join(f"{k}: {v}" for k, v in counts.items())
        + f"; {elapsed:.2f}s on {connections['default'].vendor}"
    )
    assert not problems, "\n".join(problems[:20]) + (
        f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
    )
    return counts


# --- the tests -----------------------------------------------------------------------------------


def _in_threads(count: int, body: Callable[[int], None], timeout: float) -> float:
    """Run body(0..count-1) in as many threads, released together; each thread closes
    its own database connection. Returns the seconds taken."""
    barrier = threading.Barrier(count)
    crashes: list[str] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            body(index)
        except Exception:
            crashes.append(traceback.format_exc())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,), name=f"worker{i}") for i in range(count)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    elapsed = time.monotonic() - began
    assert not any(t.is_alive() for t in threads), "a worker hung (deadlock?)"
    assert not crashes, "\n".join(crashes)
    return elapsed


@requires_postgresql
def test_concurrent_saves_are_saved_or_conflicts_never_lost(world):
    clients = _clients(world, WORKERS)
    workers = [Worker(world, i, clients[i], seed=1000 + i) for i in range(WORKERS)]

    def work(index: int) -> None:
        worker = workers[index]
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline and len(worker.ops) < MAX_OPS_PER_WORKER:
            write = worker.start()
            time.sleep(worker.rng.uniform(0, 0.005))
            worker.finish(write)

    elapsed = _in_threads(WORKERS, work, timeout=SECONDS + 120)

    counts = _verify(world, [op for w in workers for op in w.ops], "8 threads", elapsed)
    assert counts["silent losses"] == 0
    assert counts["conflicts written anyway"] == 0
    assert counts["silent overwrites"] == 0
    assert counts["saved"] > 0
    assert counts["conflicts"] > 0, "no save was ever stale: the test did not contend"


@requires_postgresql
def test_first_answers_saved_at_once_are_saved_or_conflicts(assessment, team, practitioner):
    """Everyone answers the same unanswered prompt at once (each form loaded at version
    0): one text is saved, every other one is answered as a conflict."""
    users = [practitioner] + [
        MembershipFactory(team=team, user=UserFactory(username=f"first{i}")).user
        for i in range(1, WORKERS)
    ]
    assessment.collaborators.add(*users[1:])
    section = assessment.framework_version.sections.get(key=SECTION)
    keys = [p.key for p in section.prompts.order_by("order", "pk")]
    ops: list[Op] = []
    for key in keys:
        round_ops = [
            Op(i, 0, "answer", key, "service", text=f"first-w{i}-{key}", base=0)
            for i in range(WORKERS)
        ]
        ops += round_ops

        def first(index: int, round_ops=round_ops) -> None:
            op = round_ops[index]
            try:
                saved, conflicts = services.section_save(
                    assessment=Assessment.objects.get(pk=assessment.pk),
                    section=Section.objects.get(pk=section.pk),
                    user=users[index],
                    texts={op.target: op.text},
                    versions={op.target: 0},
                )
            except Exception:
                op.detail = traceback.format_exc()
                return
            if saved == 1 and not conflicts:
                op.outcome = "saved"
            elif saved == 0 and conflicts:
                op.outcome = "conflict"
            else:
                op.detail = f"section_save returned saved={saved}, conflicts={conflicts!r}"

        _in_threads(WORKERS, first, timeout=60)

    problems = []
    for key in keys:
        answer = Answer.objects.get(assessment=assessment, prompt__key=key)
        rows = list(Answer.history.filter(id=answer.pk).values_list("text", "version"))
        mine = [op for op in ops if op.target == key]
        saved = [op for op in mine if op.outcome == "saved"]
        if [(op.text, 1) for op in saved] != rows or answer.text != rows[-1][0]:
            problems.append(f"{key}: saved {[op.text for op in saved]}, history {rows}")
        problems += [f"{key}: unknown outcome\n{op.detail}" for op in mine if op.detail]
    outcomes = Counter(op.outcome for op in ops)
    report_figure(
        f"\n[first answers] attempted: {len(ops)}, saved: {outcomes['saved']}, "
        f"conflicts: {outcomes['conflict']}, unknown (silent losses): {outcomes['unknown']}"
    )
    assert not problems, "\n".join(problems[:5])


def test_interleaved_stale_saves_are_saved_or_conflicts(world):
    """The same accounting in one thread: several people load forms, others save in
    between, then they save theirs. Runs on SQLite too."""
    people = 4
    clients = _clients(world, people)
    workers = [Worker(world, i, clients[i], seed=2000 + i) for i in range(people)]
    rng = random.Random(7)
    pending: dict[int, Callable[[], None]] = {}
    began = time.monotonic()
    for _ in range(80):
        worker = rng.choice(workers)
        if worker.index in pending:
            worker.finish(pending.pop(worker.index))
        else:
            pending[worker.index] = worker.start()
    for index, write in pending.items():
        workers[index].finish(write)
    elapsed = time.monotonic() - began

    counts = _verify(world, [op for w in workers for op in w.ops], "interleaved", elapsed)
    assert counts["silent losses"] == 0
    assert counts["conflicts written anyway"] == 0
    assert counts["silent overwrites"] == 0
    assert counts["saved"] > 0
    assert counts["conflicts"] > 0
