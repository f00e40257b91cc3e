"""Fixtures the review's tests share: the people around an assessment."""

import pytest

from tests.factories import member


@pytest.fixture
def collaborator(team, assessment):
    user = member(team, "carl")
    assessment.collaborators.add(user)
    return user


@pytest.fixture
def teammate(team):
    """A practitioner of the team who neither owns nor collaborates on the assessment."""
    return member(team, "tess")
