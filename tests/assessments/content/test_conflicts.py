"""Two people, one assessment: a save based on a stale form is a conflict shown to the
person (both texts, their choice), never a silent overwrite. Edits to different prompts
of the same section never conflict."""

from __future__ import annotations

import pytest
from django.test import Client

from assessments.content import services
from assessments.core import services as core_services
from assessments.models import Answer, Assessment, PopulationGroup, Response, Threat
from frameworks.models import Prompt
from tests.factories import MembershipFactory, UserFactory
from tests.pages import form_data

SECTION = "context"


def page_text(response) -> str:
    from html import unescape

    return unescape(response.content.decode())


@pytest.fixture
def collaborator(team):
    return MembershipFactory(team=team, user=UserFactory(username="cole")).user


@pytest.fixture
def shared(assessment, collaborator) -> Assessment:
    assessment.collaborators.add(collaborator)
    return assessment


@pytest.fixture
def owner_client(practitioner) -> Client:
    c = Client()
    c.force_login(practitioner)
    return c


@pytest.fixture
def collab_client(collaborator) -> Client:
    c = Client()
    c.force_login(collaborator)
    return c


def section_url(assessment) -> str:
    return f"/assessments/{assessment.pk}/sections/{SECTION}/"


def answer_text(assessment, key: str) -> str | None:
    answer = Answer.objects.filter(assessment=assessment, prompt__key=key).first()
    return answer.text if answer else None


# --- the section page -------------------------------------------------------------------

A_TEXT = "Floods displaced four thousand households in March."
B_TEXT = "Clashes between herders and farmers closed the market road."


def _stale_conflict(shared, owner_client, collab_client):
    """Both load the context section; the owner saves the situation prompt; the
    collaborator then saves another text for it from the stale form."""
    url = section_url(shared)
    form_a = form_data(owner_client.get(url))
    form_b = form_data(collab_client.get(url))
    assert form_a["version_context-situation"] == ["0"]
    assert form_b["version_context-situation"] == ["0"]

    form_a["text_context-situation"] = [A_TEXT]
    saved = owner_client.post(url, form_a)
    assert saved.status_code == 302
    assert answer_text(shared, "context-situation") == A_TEXT

    form_b["text_context-situation"] = [B_TEXT]
    return collab_client.post(url, form_b)


@pytest.mark.django_db
def test_stale_section_save_shows_both_texts_and_keeps_the_saved_one(
    shared, owner_client, collab_client
):
    response = _stale_conflict(shared, owner_client, collab_client)

    assert response.status_code == 200
    text = page_text(response)
    assert A_TEXT in text
    assert B_TEXT in text
    assert "Someone else changed 1 answer(s)" in text
    assert "Saved meanwhile by pat" in text
    assert 'name="keep_theirs_context-situation"' in text
    assert answer_text(shared, "context-situation") == A_TEXT
    # The collaborator's own text is back in the box, based on the version now stored.
    again = form_data(response)
    assert again["text_context-situation"] == [B_TEXT]
    assert again["version_context-situation"] == ["1"]


@pytest.mark.django_db
def test_resubmitting_the_conflict_form_saves_the_second_text(shared, owner_client, collab_client):
    response = _stale_conflict(shared, owner_client, collab_client)
    again = form_data(response)

    resubmitted = collab_client.post(section_url(shared), again)

    assert resubmitted.status_code == 302
    answer = Answer.objects.get(assessment=shared, prompt__key="context-situation")
    assert answer.text == B_TEXT
    assert answer.version == 2
    assert answer.updated_by.username == "cole"


@pytest.mark.django_db
def test_keep_theirs_after_a_conflict_keeps_the_first_text(shared, owner_client, collab_client):
    response = _stale_conflict(shared, owner_client, collab_client)
    again = form_data(response)
    again["keep_theirs_context-situation"] = ["1"]

    resubmitted = collab_client.post(section_url(shared), again, follow=True)

    assert resubmitted.status_code == 200
    assert "No changes to save." in page_text(resubmitted)
    answer = Answer.objects.get(assessment=shared, prompt__key="context-situation")
    assert answer.text == A_TEXT
    assert answer.version == 1
    assert answer.updated_by.username == "pat"


@pytest.mark.django_db
def test_stale_forms_on_different_prompts_never_conflict(shared, owner_client, collab_client):
    url = section_url(shared)
    form_a = form_data(owner_client.get(url))
    form_b = form_data(collab_client.get(url))

    form_a["text_context-situation"] = [A_TEXT]
    assert owner_client.post(url, form_a).status_code == 302
    form_b["text_context-power"] = [B_TEXT]
    response = collab_client.post(url, form_b)

    assert response.status_code == 302
    assert answer_text(shared, "context-situation") == A_TEXT
    assert answer_text(shared, "context-power") == B_TEXT


@pytest.mark.django_db
def test_stale_forms_on_different_existing_answers_never_conflict(
    shared, owner_client, collab_client, practitioner
):
    # Both prompts already answered (version 1): each person changes a different one.
    section = shared.framework_version.sections.get(key=SECTION)
    services.section_save(
        assessment=shared,
        section=section,
        user=practitioner,
        texts={"context-situation": "first", "context-power": "first"},
        versions={},
    )
    url = section_url(shared)
    form_a = form_data(owner_client.get(url))
    form_b = form_data(collab_client.get(url))
    assert form_b["version_context-power"] == ["1"]

    form_a["text_context-situation"] = [A_TEXT]
    assert owner_client.post(url, form_a).status_code == 302
    form_b["text_context-power"] = [B_TEXT]
    assert collab_client.post(url, form_b).status_code == 302

    assert answer_text(shared, "context-situation") == A_TEXT
    assert answer_text(shared, "context-power") == B_TEXT


# --- object forms: threat, group, response, context ----------------------------------------


def _object_conflict(url, owner_client, collab_client, field, mine_a, mine_b):
    form_a = form_data(owner_client.get(url))
    form_b = form_data(collab_client.get(url))
    assert form_a["version"] == form_b["version"]
    form_a[field] = [mine_a]
    first = owner_client.post(url, form_a)
    assert first.status_code == 302, page_text(first)
    form_b[field] = [mine_b]
    return collab_client.post(url, form_b)


def _assert_conflict_table(response, mine, theirs):
    assert response.status_code == 200
    text = page_text(response)
    assert "Someone else saved this while you were editing" in text
    assert "Yours" in text
    assert "Saved now" in text
    assert mine in text
    assert theirs in text


@pytest.fixture
def group(shared, practitioner):
    return services.group_save(
        assessment=shared, user=practitioner, name="Women in camps", sex="female"
    )


@pytest.fixture
def threat(shared, practitioner, group):
    dimension = shared.framework_version.dimensions.get(key="personal")
    return services.threat_save(
        assessment=shared,
        user=practitioner,
        title="Raids on camps",
        dimension=dimension,
        likelihood=3,
        severity=3,
        urgency=2,
        affected_groups=[group],
    )


@pytest.mark.django_db
def test_stale_threat_edit_shows_a_conflict_table_and_changes_nothing(
    shared, threat, owner_client, collab_client
):
    url = f"/assessments/{shared.pk}/threats/{threat.pk}/edit/"

    response = _object_conflict(
        url, owner_client, collab_client, "title", "Night raids", "Raids at the market"
    )

    _assert_conflict_table(response, "Raids at the market", "Night raids")
    threat.refresh_from_db()
    assert threat.title == "Night raids"
    assert threat.version == 2
    # The form now carries the stored version, so saving again is a deliberate choice.
    again = form_data(response)
    assert again["version"] == ["2"]
    assert again["title"] == ["Raids at the market"]
    assert collab_client.post(url, again).status_code == 302
    threat.refresh_from_db()
    assert threat.title == "Raids at the market"
    assert threat.version == 3


@pytest.mark.django_db
def test_stale_group_edit_shows_a_conflict_table_and_changes_nothing(
    shared, group, owner_client, collab_client
):
    url = f"/assessments/{shared.pk}/groups/{group.pk}/edit/"

    response = _object_conflict(
        url, owner_client, collab_client, "name", "Women in the camps", "Displaced women"
    )

    _assert_conflict_table(response, "Displaced women", "Women in the camps")
    group.refresh_from_db()
    assert group.name == "Women in the camps"
    assert group.version == 2
    assert PopulationGroup.objects.filter(assessment=shared).count() == 1


@pytest.mark.django_db
def test_stale_response_edit_shows_a_conflict_table_and_changes_nothing(
    shared, threat, owner_client, collab_client, practitioner
):
    resp = services.response_save(
        assessment=shared,
        user=practitioner,
        title="Escorts to the market",
        strategy="protection",
        threats=[threat],
    )
    url = f"/assessments/{shared.pk}/responses/{resp.pk}/edit/"

    response = _object_conflict(
        url, owner_client, collab_client, "title", "Armed escorts", "Community escorts"
    )

    _assert_conflict_table(response, "Community escorts", "Armed escorts")
    resp.refresh_from_db()
    assert resp.title == "Armed escorts"
    assert resp.version == 2
    assert list(Response.objects.get(pk=resp.pk).threats.all()) == [threat]


@pytest.mark.django_db
def test_stale_context_edit_shows_a_conflict_table_and_changes_nothing(
    shared, owner_client, collab_client
):
    url = f"/assessments/{shared.pk}/edit/"

    response = _object_conflict(
        url, owner_client, collab_client, "area", "Maiduguri", "Konduga LGA"
    )

    _assert_conflict_table(response, "Konduga LGA", "Maiduguri")
    shared.refresh_from_db()
    assert shared.area == "Maiduguri"
    assert shared.version == 2


# --- the service ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_threat_save_with_a_stale_version_raises_and_changes_nothing(
    shared, threat, practitioner, collaborator
):
    component = shared.framework_version.components.get(key="preventive")
    services.threat_save(
        assessment=shared,
        user=practitioner,
        threat=threat,
        base_version=1,
        title="Night raids",
        tags={component.pk: "Raids follow the harvest."},
        indicators=[{"name": "Harvest sales", "kind": "trigger"}],
    )
    before = Threat.objects.get(pk=threat.pk)
    history = Threat.history.filter(id=threat.pk).count()

    with pytest.raises(core_services.EditConflict) as caught:
        services.threat_save(
            assessment=shared,
            user=collaborator,
            threat=threat,
            base_version=1,
            title="Raids at the market",
            severity=5,
            tags={},
            indicators=[{"name": "Market closures", "kind": "proximate"}],
        )

    assert caught.value.current.title == "Night raids"
    after = Threat.objects.get(pk=threat.pk)
    assert (after.title, after.severity, after.version) == (
        before.title,
        before.severity,
        before.version,
    )
    assert [t.component.key for t in after.tags.all()] == ["preventive"]
    assert [i.name for i in after.indicators.all()] == ["Harvest sales"]
    assert Threat.history.filter(id=threat.pk).count() == history


@pytest.mark.django_db
def test_section_save_reports_a_conflict_and_leaves_the_answer(shared, practitioner, collaborator):
    section = shared.framework_version.sections.get(key=SECTION)
    services.section_save(
        assessment=shared,
        section=section,
        user=practitioner,
        texts={"context-situation": A_TEXT},
        versions={"context-situation": 0},
    )

    saved, conflicts = services.section_save(
        assessment=shared,
        section=section,
        user=collaborator,
        texts={"context-situation": B_TEXT, "context-power": "Elders decide."},
        versions={"context-situation": 0, "context-power": 0},
    )

    assert saved == 1
    assert [(c["prompt"].key, c["mine"], c["current"].text) for c in conflicts] == [
        ("context-situation", B_TEXT, A_TEXT)
    ]
    assert answer_text(shared, "context-situation") == A_TEXT
    assert answer_text(shared, "context-power") == "Elders decide."
    assert Prompt.objects.filter(section=section).count() == 4


# --- links edited from both sides: a threat's groups are a group's threats --------------------


@pytest.mark.django_db
def test_a_link_made_on_the_group_form_is_not_undone_by_a_threat_form_opened_before(
    shared, threat, owner_client, collab_client, practitioner
):
    herders = services.group_save(assessment=shared, user=practitioner, name="Herders", sex="all")
    threat_url = f"/assessments/{shared.pk}/threats/{threat.pk}/edit/"
    stale = form_data(collab_client.get(threat_url))  # affected: women in camps only

    group_url = f"/assessments/{shared.pk}/groups/{herders.pk}/edit/"
    on_group = form_data(owner_client.get(group_url))
    on_group["threats"] = [str(threat.pk)]
    assert owner_client.post(group_url, on_group).status_code == 302

    stale["title"] = ["Raids on camps at night"]
    response = collab_client.post(threat_url, stale)

    _assert_conflict_table(response, "Raids on camps at night", "Raids on camps")
    # The table says what the other form changed: the groups, as saved now.
    assert "Herders, Women in camps" in page_text(response)
    threat.refresh_from_db()
    assert threat.title == "Raids on camps"
    assert set(threat.affected_groups.values_list("name", flat=True)) == {
        "Women in camps",
        "Herders",
    }


@pytest.mark.django_db
def test_a_link_made_on_the_threat_form_is_not_undone_by_a_group_form_opened_before(
    shared, threat, group, owner_client, collab_client, practitioner
):
    herders = services.group_save(assessment=shared, user=practitioner, name="Herders", sex="all")
    group_url = f"/assessments/{shared.pk}/groups/{herders.pk}/edit/"
    stale = form_data(collab_client.get(group_url))
    assert not herders.threats.exists()

    threat_url = f"/assessments/{shared.pk}/threats/{threat.pk}/edit/"
    on_threat = form_data(owner_client.get(threat_url))
    on_threat["affected_groups"] = [str(group.pk), str(herders.pk)]
    assert owner_client.post(threat_url, on_threat).status_code == 302

    stale["name"] = ["Herders and their families"]
    response = collab_client.post(group_url, stale)

    _assert_conflict_table(response, "Herders and their families", "Herders")
    # The table also says what the threat's form changed: this group's threats.
    rows = response.context["conflict"]
    linked = next(r for r in rows if r["label"] == "Threats affecting this group")
    assert (linked["mine"], linked["theirs"]) == ("—", "Raids on camps")
    assert list(threat.affected_groups.order_by("name").values_list("name", flat=True)) == [
        "Herders",
        "Women in camps",
    ]
