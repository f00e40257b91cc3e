"""Shared by the framework tests."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory


@pytest.fixture
def fwadmin(db):
    user = UserFactory(username="farid", is_staff=True)
    user.groups.add(Group.objects.get(name="Framework admins"))
    return user
