"""Links on the changes page: a threat's affected groups and further dimensions, a
response's threats and groups are many-to-many, not in the field history; the content's
services log them (LinkChange) and the changes page undoes the log since the return."""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.content import services as content
from assessments.models import LinkChange
from assessments.review import services as workflow
from assessments.review.changes import changes_since_return
from tests.factories import PopulationGroupFactory, ResponseFactory, ThreatFactory
from tests.pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(assessment, practitioner):
    """Three groups, a threat affecting the farmers, a response to it serving the farmers
    and the herders; links set through the services, before any return."""
    farmers = PopulationGroupFactory(assessment=assessment, name="Farmers")
    herders = PopulationGroupFactory(assessment=assessment, name="Herders")
    women = PopulationGroupFactory(assessment=assessment, name="Women in camps")
    threat = ThreatFactory(assessment=assessment, title="Cattle raids")
    content.group_save(
        assessment=assessment, user=practitioner, group=farmers, base_version=1, threats=[threat]
    )
    response = ResponseFactory(assessment=assessment, title="Water points")
    response.threats.set([threat])
    response.groups.set([farmers, herders])
    return {"farmers": farmers, "herders": herders, "women": women, "threat": threat}


def _return(assessment, practitioner, supervisor):
    workflow.assessment_submit(assessment=assessment, user=practitioner)
    workflow.assessment_return(assessment=assessment, user=supervisor, note="Who else?")


@pytest.fixture
def returned(assessment, items, practitioner, supervisor):
    _return(assessment, practitioner, supervisor)
    return assessment


def _changed(assessment, kind: str) -> dict[str, list[tuple[str, str, str]]]:
    """{title: [(label, before, after)]} of the items of one kind shown as changed."""
    items = dict(changes_since_return(assessment).items)[kind]
    return {
        item.title: [(f.label, f.before, f.after) for f in item.fields]
        for item in items
        if item.status == "changed"
    }


def _post_form(client, url, **changes):
    data = form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_group_linked_from_the_threat_form_shows_on_the_changes_page(
    client, login, returned, items, practitioner, supervisor
):
    threat, farmers, herders = items["threat"], items["farmers"], items["herders"]
    url = reverse("assessments:threat_update", args=[returned.pk, threat.pk])
    _post_form(login(practitioner), url, affected_groups=[str(farmers.pk), str(herders.pk)])

    assert _changed(returned, "Threats") == {
        "Cattle raids": [("Affected groups", "Farmers", "Farmers, Herders")]
    }
    page = login(supervisor).get(reverse("assessments:changes", args=[returned.pk]))
    text = html.unescape(page.content.decode())
    assert "Affected groups" in text and "Farmers, Herders" in text


def test_a_threat_linked_from_the_group_form_shows_on_the_threat(
    client, login, returned, items, practitioner
):
    threat, herders = items["threat"], items["herders"]
    url = reverse("assessments:group_update", args=[returned.pk, herders.pk])
    _post_form(login(practitioner), url, threats=[str(threat.pk)])

    assert _changed(returned, "Threats") == {
        "Cattle raids": [("Affected groups", "Farmers", "Farmers, Herders")]
    }
    assert _changed(returned, "Population groups") == {}  # the link shows on the threat


def test_a_group_unticked_on_a_response_shows_as_groups_served(
    client, login, returned, items, practitioner
):
    response = returned.responses.get()
    url = reverse("assessments:response_update", args=[returned.pk, response.pk])
    _post_form(login(practitioner), url, groups=[str(items["farmers"].pk)])

    assert _changed(returned, "Responses") == {
        "Water points": [("Groups served", "Farmers, Herders", "Farmers")]
    }
    [row] = LinkChange.objects.filter(relation=LinkChange.Relation.RESPONSE_GROUPS)
    assert (row.item_id, row.other_id, row.added) == (response.pk, items["herders"].pk, False)
    assert row.user == practitioner


def test_a_further_dimension_added_shows(client, login, returned, items, practitioner):
    threat = items["threat"]
    further = returned.framework_version.dimensions.exclude(pk=threat.dimension_id).first()
    url = reverse("assessments:threat_update", args=[returned.pk, threat.pk])
    _post_form(login(practitioner), url, further_dimensions=[str(further.pk)])

    assert _changed(returned, "Threats") == {
        "Cattle raids": [("Further dimensions", "", further.name)]
    }


def test_links_changed_before_the_return_show_nothing(assessment, items, practitioner, supervisor):
    content.group_save(
        assessment=assessment,
        user=practitioner,
        group=items["women"],
        base_version=1,
        threats=[items["threat"]],
    )
    _return(assessment, practitioner, supervisor)

    assert LinkChange.objects.filter(assessment=assessment).count() == 2
    assert _changed(assessment, "Threats") == {}
    assert changes_since_return(assessment).empty


def test_a_link_added_then_removed_after_the_return_shows_nothing(returned, items, practitioner):
    threat, herders = items["threat"], items["herders"]
    for threats, version in (([threat], 1), ([], 2)):
        content.group_save(
            assessment=returned,
            user=practitioner,
            group=herders,
            base_version=version,
            threats=threats,
        )

    assert LinkChange.objects.filter(assessment=returned, at__gt=_returned_at(returned)).count()
    assert _changed(returned, "Threats") == {}


def test_a_group_unlinked_then_deleted_is_named_from_the_history(returned, items, practitioner):
    farmers = items["farmers"]
    content.group_save(
        assessment=returned, user=practitioner, group=farmers, base_version=2, threats=[]
    )
    content.group_delete(assessment=returned, group=farmers, user=practitioner)

    assert _changed(returned, "Threats") == {"Cattle raids": [("Affected groups", "Farmers", "")]}


def test_unchanged_saves_log_nothing(returned, items, practitioner):
    before = LinkChange.objects.count()
    content.group_save(
        assessment=returned,
        user=practitioner,
        group=items["farmers"],
        base_version=2,
        threats=[items["threat"]],
    )
    assert LinkChange.objects.count() == before


def _returned_at(assessment):
    return changes_since_return(assessment).returned.created_at


def test_the_changes_page_reads_links_in_a_constant_number_of_queries(
    client, login, assessment, items, practitioner, supervisor
):
    threats = [items["threat"]] + [
        ThreatFactory(assessment=assessment, title=f"Threat {n}") for n in range(4)
    ]
    responses = [ResponseFactory(assessment=assessment, title=f"Response {n}") for n in range(5)]
    dimensions = list(assessment.framework_version.dimensions.order_by("order"))
    _return(assessment, practitioner, supervisor)

    def relink(threat, response):
        threat.refresh_from_db()
        further = next(d for d in dimensions if d.pk != threat.dimension_id)
        content.threat_save(
            assessment=assessment,
            user=practitioner,
            threat=threat,
            base_version=threat.version,
            affected_groups=[items["women"]],
            further_dimensions=[further],
        )
        content.response_save(
            assessment=assessment,
            user=practitioner,
            response=response,
            base_version=response.version,
            threats=[threat],
            groups=[items["women"]],
        )

    c = login(supervisor)
    url = reverse("assessments:changes", args=[assessment.pk])
    relink(threats[0], responses[0])
    c.get(url)  # the first page after signing in also saves the session
    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    for threat, response in zip(threats[1:], responses[1:], strict=True):
        relink(threat, response)
    with CaptureQueriesContext(connection) as many:
        page = html.unescape(c.get(url).content.decode())
    assert page.count("Women in camps") == 10
    assert len(many) == len(few)
