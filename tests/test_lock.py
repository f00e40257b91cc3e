"""The lock files (requirements/*.txt, made by `make lock`) that `make run`, `make test`
and CI install from: every dependency of pyproject.toml is in them, pinned with hashes,
and the test set pins the run set's packages to the same versions."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: str) -> dict[str, str]:
    """Package -> version, checking on the way that each pin carries a hash."""
    text = (ROOT / "requirements" / lock).read_text()
    found = {}
    for block in re.split(r"\n(?=\S)", text):
        match = PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{lock}: {match[1]} has no hash"
            found[normalized(match[1])] = match[2]
    return found


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("run.txt", PYPROJECT["dependencies"]),
        ("test.txt", PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["test"]),
    ],
)
def test_every_dependency_is_pinned_in_the_lock_within_its_range(lock, requirements):
    pinned = pins(lock)

    for line in requirements:
        requirement = Requirement(line)
        name = normalized(requirement.name)
        assert name in pinned, f"{name} is not in requirements/{lock}: run `make lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"requirements/{lock} pins {name}=={pinned[name]}, outside {requirement.specifier}:"
            " run `make lock`"
        )


def test_the_test_lock_pins_the_run_lock_packages_to_the_same_versions():
    run, test = pins("run.txt"), pins("test.txt")

    assert {name: test.get(name) for name in run} == run
