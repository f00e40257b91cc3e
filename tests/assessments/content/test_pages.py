"""The list, form and delete pages of groups, threats and responses: one implementation
serves the three kinds, so each kind is checked for its own words, links and rows."""

from __future__ import annotations

import html

import pytest

from assessments.models import Membership
from tests.factories import (
    MembershipFactory,
    PopulationGroupFactory,
    ResponseFactory,
    ThreatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# kind: (list path, heading, add label, empty state, the item's word in "Delete this …?")
KINDS = {
    "group": (
        "groups",
        "Security for whom?",
        "Add a group",
        "No group yet. Say whose security this assessment is about",
        "population group",
    ),
    "threat": (
        "threats",
        "Security from what?",
        "Add a threat",
        "No threat yet. Register what people need security from",
        "threat",
    ),
    "response": (
        "responses",
        "Security by what means?",
        "Add a response",
        "No response yet. Record the protection, empowerment and solidarity",
        "response",
    ),
}


@pytest.fixture
def teammate(team):
    user = UserFactory(username="tom")
    MembershipFactory(team=team, user=user, role=Membership.Role.PRACTITIONER)
    return user


@pytest.fixture
def items(assessment) -> dict:
    group = PopulationGroupFactory(assessment=assessment, name="Herders <north>")
    threat = ThreatFactory(assessment=assessment, title="Cattle raids & reprisals")
    threat.affected_groups.add(group)
    response = ResponseFactory(assessment=assessment, title="Peace committees", groups=[group])
    response.threats.add(threat)
    return {"group": group, "threat": threat, "response": response}


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_an_empty_list_invites_the_author_to_add(client, assessment, practitioner, kind):
    path, heading, add, empty, _noun = KINDS[kind]
    client.force_login(practitioner)

    page = _page(client, f"/assessments/{assessment.pk}/{path}/")

    assert f">{heading}</h1>" in page
    assert f'href="/assessments/{assessment.pk}/{path}/new/">{add}</a>' in page
    assert empty in page


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_list_shows_each_item_with_edit_and_delete_links_for_authors(
    client, assessment, practitioner, items, kind
):
    path, _heading, _add, empty, _noun = KINDS[kind]
    item = items[kind]
    client.force_login(practitioner)

    page = _page(client, f"/assessments/{assessment.pk}/{path}/")

    assert str(item) in page
    assert empty not in page
    base = f"/assessments/{assessment.pk}/{path}/{item.pk}"
    assert f'<a href="{base}/edit/">Edit<span class="visually-hidden"> {item}</span></a>' in page
    assert f'<a href="{base}/delete/">Delete<span class="visually-hidden"> {item}</span></a>' in (
        page
    )


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_reader_sees_the_items_without_the_buttons(client, assessment, teammate, items, kind):
    path, _heading, add, _empty, _noun = KINDS[kind]
    client.force_login(teammate)

    page = _page(client, f"/assessments/{assessment.pk}/{path}/")

    assert str(items[kind]) in page
    assert add not in page
    assert "/edit/" not in page
    assert "/delete/" not in page


def test_the_tables_have_their_own_columns(client, assessment, practitioner, items):
    client.force_login(practitioner)

    groups = _page(client, f"/assessments/{assessment.pk}/groups/")
    responses = _page(client, f"/assessments/{assessment.pk}/responses/")

    assert '<th scope="col">Disaggregation</th>' in groups
    assert '<th scope="col">Threats addressed</th>' not in groups
    assert '<th scope="col">Threats addressed</th>' in responses
    assert "Cattle raids & reprisals" in responses  # the threat it addresses
    assert "for <bdi>Herders <north></bdi>" in responses  # a name in its own direction


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_form_pages_name_the_kind_and_the_item(client, assessment, practitioner, items, kind):
    path = KINDS[kind][0]
    item = items[kind]
    client.force_login(practitioner)

    new = _page(client, f"/assessments/{assessment.pk}/{path}/new/")
    edit = _page(client, f"/assessments/{assessment.pk}/{path}/{item.pk}/edit/")

    assert f"<h1>New {kind}</h1>" in new
    assert f"<title>New {kind} · " in new
    assert f"<h1>Edit {kind} “{item}”</h1>" in edit
    assert f"Save {kind}</button>" in edit
    assert f'href="/assessments/{assessment.pk}/{path}/">Cancel</a>' in edit


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_deleting_asks_first_and_offers_the_way_back(client, assessment, practitioner, items, kind):
    path, *_rest, noun = KINDS[kind]
    item = items[kind]
    client.force_login(practitioner)

    page = _page(client, f"/assessments/{assessment.pk}/{path}/{item.pk}/delete/")

    assert f"<h1>Delete this {noun}?</h1>" in page
    assert f"“{item}” will be removed from the assessment." in page
    assert f'href="/assessments/{assessment.pk}/{path}/">Cancel</a>' in page
    assert type(item).objects.filter(pk=item.pk).exists()
