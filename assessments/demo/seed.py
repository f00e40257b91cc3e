"""Demo data for `make run`: the default framework, two teams, one account per role."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse

from assessments.demo.monitoring import create_baseline
from assessments.demo.sample import create_sample
from assessments.models import Membership, Team
from frameworks.documents import parse
from frameworks.services import framework_import

DEFAULT_FRAMEWORK = Path(__file__).resolve().parents[2] / "frameworks" / "default_framework.yaml"
DEMO_PASSWORD = "hsassess-demo"  # noqa: S105 - published on purpose, refused with DEBUG off

TEAMS = [
    ("north", "North Field Team", "Covers the northern border districts."),
    ("south", "South Field Team", "Covers the southern coastal provinces."),
]
# username, first name, description, is_staff, is_superuser, group, memberships
ACCOUNTS = [
    ("admin", "Ada", "superuser (operator)", True, True, None, []),
    (
        "fwadmin",
        "Farid",
        "framework admin (edits frameworks in /admin/)",
        True,
        False,
        "Framework admins",
        [],
    ),
    (
        "supervisor",
        "Sofia",
        "supervisor, North Field Team",
        False,
        False,
        None,
        [("north", Membership.Role.SUPERVISOR)],
    ),
    (
        "practitioner",
        "Pablo",
        "practitioner, North Field Team",
        False,
        False,
        None,
        [("north", Membership.Role.PRACTITIONER)],
    ),
    (
        "colleague",
        "Chen",
        "practitioner, North Field Team",
        False,
        False,
        None,
        [("north", Membership.Role.PRACTITIONER)],
    ),
    (
        "south",
        "Samira",
        "practitioner, South Field Team; supervisor of nobody",
        False,
        False,
        None,
        [("south", Membership.Role.PRACTITIONER)],
    ),
]


@dataclass
class SeedReport:
    framework_line: str = ""
    accounts: list[tuple[str, str]] = field(default_factory=list)
    sample_line: str = ""


@transaction.atomic
def seed() -> SeedReport:
    report = SeedReport()
    version, outcome = framework_import(
        document=parse(DEFAULT_FRAMEWORK.read_bytes()), publish=True
    )
    report.framework_line = f"Framework: {version.framework.name} v{version.number} ({outcome})."
    teams = {}
    for slug, name, description in TEAMS:
        teams[slug], _ = Team.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
    users = {}
    User = get_user_model()
    for username, first, description, staff, superuser, group, memberships in ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = first
        user.email = f"{username}@example.org"
        user.is_staff = staff
        user.is_superuser = superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
        for team_slug, role in memberships:
            Membership.objects.update_or_create(
                team=teams[team_slug], user=user, defaults={"role": role}
            )
        users[username] = user
        report.accounts.append((username, description))
    sample = create_sample(
        version=version,
        team=teams["north"],
        owner=users["practitioner"],
        collaborator=users["colleague"],
    )
    if sample is not None:
        url = reverse("assessments:detail", args=[sample.pk])
        report.sample_line = f"Sample assessment: “{sample.title}” ({url})."
        # Its approved baseline, six months earlier, with readings (demo/monitoring.py).
        create_baseline(
            version=version,
            team=teams["north"],
            owner=users["practitioner"],
            collaborator=users["colleague"],
            supervisor=users["supervisor"],
        )
    return report
