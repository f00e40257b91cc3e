"""Moving an assessment to a newer framework version: the preview, the move (renamed,
removed and added prompts, a removed dimension), the undo, and who may do it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import Answer, ReviewEvent, Threat
from assessments.models.upgrade import VersionMove
from assessments.upgrade import selectors, services
from frameworks import editing
from frameworks.models import Prompt
from frameworks.services import version_new_draft, version_publish
from tests.factories import AnswerFactory, ComponentTagFactory, ThreatFactory, member


@pytest.fixture
def world(assessment, version, practitioner):
    """An assessment on v1 with an answer to every prompt of the first section and a tagged
    threat; v2 rewords the first prompt, removes the second, adds one, and removes the
    threat's dimension."""
    section = version.sections.order_by("order").first()
    prompts = list(section.prompts.order_by("order"))
    for prompt in prompts:
        AnswerFactory(assessment=assessment, prompt=prompt, text=f"About {prompt.key}.")
    threat = ThreatFactory(assessment=assessment)
    ComponentTagFactory(threat=threat)
    draft = version_new_draft(version=version)
    d_section = draft.sections.get(key=section.key)
    reworded = d_section.prompts.get(key=prompts[0].key)
    editing.studio_save(
        version=draft, kind="prompt", pk=reworded.pk, data={"text": reworded.text + " Why?"}
    )
    editing.studio_remove(
        version=draft, kind="prompt", pk=d_section.prompts.get(key=prompts[1].key).pk
    )
    editing.studio_add(
        version=draft, kind="prompt", section=d_section, data={"text": "A brand new question?"}
    )
    gone = draft.dimensions.get(key=threat.dimension.key)
    editing.studio_remove(version=draft, kind="dimension", pk=gone.pk)
    v2 = version_publish(version=draft, changelog="Reworded, removed, added.")
    return {
        "assessment": assessment,
        "v1": version,
        "v2": v2,
        "prompts": prompts,
        "threat": threat,
        "user": practitioner,
    }


def answers_of(assessment):
    return {a.pk: (a.text, a.prompt.key) for a in Answer.objects.filter(assessment=assessment)}


def test_preview_says_where_each_answer_goes(world):
    plan = selectors.move_plan(world["assessment"], world["v2"])
    outcomes = {step.old.key: step.outcome for step in plan.answers}
    first, second = world["prompts"][:2]
    assert outcomes[first.key] == "reworded"
    assert outcomes[second.key] == "retired"
    assert all(o == "carried" for k, o in outcomes.items() if k not in {first.key, second.key})
    assert [p.key for p in plan.added_prompts] == ["a-brand-new-question"]
    assert len(plan.blockers) == 1 and world["threat"].title in plan.blockers[0]


def test_a_removed_dimension_refuses_the_move_until_reassigned(world):
    a = world["assessment"]
    before = answers_of(a)
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_move(assessment=a, to_version=world["v2"], user=world["user"])
    assert world["threat"].title in excinfo.value.messages[0]
    a.refresh_from_db()
    assert a.framework_version == world["v1"]
    assert answers_of(a) == before


def test_move_then_undo_keeps_every_answer(world):
    a, v1, v2, user = world["assessment"], world["v1"], world["v2"], world["user"]
    before = answers_of(a)
    new_dim = v2.dimensions.order_by("order").first()
    move = services.assessment_move(
        assessment=a, to_version=v2, user=user, reassign={world["threat"].pk: new_dim.pk}
    )
    a.refresh_from_db()
    assert a.framework_version == v2
    assert answers_of(a) == before  # same texts, same keys: nothing lost
    retired = selectors.retired_answers(a)
    assert [r.prompt.key for r in retired] == [world["prompts"][1].key]
    moved = Answer.objects.get(assessment=a, prompt__key=world["prompts"][0].key)
    assert moved.prompt.section.version == v2
    assert Threat.objects.get(pk=world["threat"].pk).dimension == new_dim
    assert a.review_events.last().kind == ReviewEvent.Kind.MOVED
    assert a.history.first().framework_version_id == v2.pk

    services.move_undo(move=move, user=user)
    a.refresh_from_db()
    assert a.framework_version == v1
    assert answers_of(a) == before
    assert not selectors.retired_answers(a)
    assert Answer.objects.filter(assessment=a, prompt__section__version=v1).count() == len(before)
    assert Threat.objects.get(pk=world["threat"].pk).dimension.version == v1
    assert a.review_events.last().kind == ReviewEvent.Kind.MOVE_UNDONE
    assert VersionMove.objects.get(pk=move.pk).undone_at is not None


def test_undo_is_refused_once_submitted(world, fake_render):
    from assessments.review.services import assessment_submit

    a, v2, user = world["assessment"], world["v2"], world["user"]
    new_dim = v2.dimensions.order_by("order").first()
    move = services.assessment_move(
        assessment=a, to_version=v2, user=user, reassign={world["threat"].pk: new_dim.pk}
    )
    assessment_submit(assessment=a, user=user)
    with pytest.raises(ValidationError):
        services.move_undo(move=move, user=user)


def test_pages_preview_apply_and_undo(client, world):
    a, v2 = world["assessment"], world["v2"]
    client.force_login(world["user"])
    url = reverse("assessments:upgrade", args=[a.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b"kept as an answer to a retired prompt" in page.content
    refused = client.post(url, {"to": v2.number})
    assert refused.status_code == 400
    new_dim = v2.dimensions.order_by("order").first()
    done = client.post(url, {"to": v2.number, f"dimension-{world['threat'].pk}": new_dim.pk})
    assert done.status_code == 302
    a.refresh_from_db()
    assert a.framework_version == v2
    after = client.get(url)
    assert b"Answers to retired prompts" in after.content
    client.post(reverse("assessments:upgrade_undo", args=[a.pk]))
    a.refresh_from_db()
    assert a.framework_version == world["v1"]


@pytest.mark.parametrize(
    ("who", "status"), [("supervisor", 403), ("stranger", 404), ("colleague", 403)]
)
def test_only_those_who_may_edit_may_move(client, world, supervisor, other_team, who, status):
    people = {
        "supervisor": supervisor,
        "stranger": member(other_team, "stan"),
        "colleague": member(world["assessment"].team, "cole"),
    }
    client.force_login(people[who])
    url = reverse("assessments:upgrade", args=[world["assessment"].pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"to": world["v2"].number}).status_code == status
    world["assessment"].refresh_from_db()
    assert world["assessment"].framework_version == world["v1"]
    assert Prompt.objects.filter(pk=world["prompts"][1].pk).exists()


def test_answers_to_retired_prompts_are_exported(client, world):
    a, v2 = world["assessment"], world["v2"]
    new_dim = v2.dimensions.order_by("order").first()
    services.assessment_move(
        assessment=a, to_version=v2, user=world["user"], reassign={world["threat"].pk: new_dim.pk}
    )
    client.force_login(world["user"])

    exported = client.get(reverse("assessments:export_json", args=[a.pk])).json()

    removed = world["prompts"][1]
    assert exported["retired_answers"] == [
        {
            "version": 1,
            "section": removed.section.key,
            "prompt": removed.key,
            "prompt_text": removed.text,
            "text": f"About {removed.key}.",
        }
    ]
    assert removed.key not in {answer["prompt"] for answer in exported["answers"]}


def test_further_dimensions_follow_the_move_and_its_undo(world):
    """By key: one the new version lacks is dropped on the way, and back on the undo."""
    a, v1, v2, user = world["assessment"], world["v1"], world["v2"], world["user"]
    removed = world["threat"].dimension
    kept = list(v1.dimensions.exclude(pk=removed.pk).order_by("order"))
    threat = ThreatFactory(assessment=a, dimension=kept[0], further_dimensions=[kept[1], removed])
    new_dim = v2.dimensions.order_by("order").first()

    move = services.assessment_move(
        assessment=a, to_version=v2, user=user, reassign={world["threat"].pk: new_dim.pk}
    )

    further = list(threat.further_dimensions.all())
    assert [(d.key, d.version) for d in further] == [(kept[1].key, v2)]
    services.move_undo(move=move, user=user)
    assert set(threat.further_dimensions.all()) == {kept[1], removed}


def test_the_changes_page_sees_a_further_dimension_the_move_dropped_and_not_one_it_kept(
    world, supervisor
):
    """The move's repointing is logged: after a return, a reviewer sees the dimension the
    new version lacks as gone, and nothing for the one that only followed by key."""
    from assessments.review import services as workflow
    from assessments.review.changes import last_return, link_changes
    from frameworks.i18n import text

    a, v1, v2, user = world["assessment"], world["v1"], world["v2"], world["user"]
    removed = world["threat"].dimension
    kept = list(v1.dimensions.exclude(pk=removed.pk).order_by("order"))
    threat = ThreatFactory(assessment=a, dimension=kept[0], further_dimensions=[kept[1], removed])
    workflow.assessment_submit(assessment=a, user=user)
    workflow.assessment_return(assessment=a, user=supervisor, note="Move to v2 first.")
    new_dim = v2.dimensions.order_by("order").first()

    services.assessment_move(
        assessment=a, to_version=v2, user=user, reassign={world["threat"].pk: new_dim.pk}
    )

    changes = link_changes(a, last_return(a).created_at)
    name = text(kept[1], "name")[0]
    before = ", ".join(sorted([name, text(removed, "name")[0]], key=str.lower))
    assert [(f.label, f.before, f.after) for f in changes[(Threat, threat.pk)]] == [
        ("Further dimensions", before, name)
    ]
    assert (Threat, world["threat"].pk) not in changes
