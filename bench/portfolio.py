"""Server time and query count of the portfolio at 1,000 assessments.

    .venv/bin/python bench/portfolio.py [--assessments 1000] [--repeat 5]

Seeds a throwaway SQLite database (removed afterwards) with the default framework, one
supervisor of four teams, and N assessments of those teams (a third of them
re-assessments of another, so contexts hold series), each with three threats, a tag and
an indicator and two answers. Rows are bulk-inserted: the services would take minutes
at this size, and the portfolio only reads. Then requests /portfolio/ and its CSV and
prints the median and worst server time and the query count of each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import setup_django  # noqa: E402


def seed(count: int):
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from assessments.demo.seed import DEFAULT_FRAMEWORK
    from assessments.models import (
        Answer,
        Assessment,
        ComponentTag,
        Indicator,
        Membership,
        Team,
        Threat,
    )
    from frameworks.documents import parse
    from frameworks.services import framework_import

    with transaction.atomic():
        version, _ = framework_import(document=parse(DEFAULT_FRAMEWORK.read_bytes()), publish=True)
        user = get_user_model().objects.create_user("bench", "bench@example.org")
        teams = [Team.objects.create(name=f"Team {i}", slug=f"team-{i}") for i in range(4)]
        for team in teams:
            Membership.objects.create(team=team, user=user, role=Membership.Role.SUPERVISOR)
        now = timezone.now()
        rows = Assessment.objects.bulk_create(
            Assessment(
                title=f"Context {i:04d}",
                team=teams[i % 4],
                owner=user,
                framework_version=version,
                country=["Chad", "Niger", "Mali", "Nigeria", "Sudan"][i % 5],
                status="approved" if i % 2 else "draft",
                approved_at=now if i % 2 else None,
            )
            for i in range(count)
        )
        for i, a in enumerate(rows):
            if i % 3 == 2:
                a.baseline = rows[i - 1]
        Assessment.objects.bulk_update(rows, ["baseline"])
        dimensions = list(version.dimensions.all())
        component = version.components.first()
        prompts = list(version.sections.first().prompts.all()[:2])
        threats = Threat.objects.bulk_create(
            Threat(
                assessment=a,
                number=k + 1,
                title=f"Threat {k}",
                dimension=dimensions[(i + k) % len(dimensions)],
                likelihood=1 + (i + k) % 5,
                severity=1 + (i * k) % 5,
                urgency=1 + k,
            )
            for i, a in enumerate(rows)
            for k in range(3)
        )
        ComponentTag.objects.bulk_create(
            ComponentTag(threat=t, component=component, rationale="Why.") for t in threats
        )
        Indicator.objects.bulk_create(Indicator(threat=t, name="Indicator") for t in threats)
        Answer.objects.bulk_create(
            Answer(assessment=a, prompt=p, text="An answer.") for a in rows for p in prompts
        )
    return user


def measure(user, repeat: int) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    settings.DEBUG = False
    settings.WHITENOISE_USE_FINDERS = True
    client = Client()
    client.force_login(user)
    for name in ("portfolio", "portfolio_csv"):
        url = reverse(name)
        client.get(url)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(
            f"{url:16} median {statistics.median(times):8.1f} ms   worst {max(times):8.1f} ms"
            f"   queries {len(queries)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assessments", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp))
        user = seed(args.assessments)
        print(f"{args.assessments} assessments, {args.assessments * 3} threats")
        measure(user, args.repeat)


if __name__ == "__main__":
    main()
