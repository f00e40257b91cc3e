"""Changes since the last return (issue 13, item 3): after a change to an answer, a
threat's score and a removed group, the reviewer sees each, from the history."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from assessments.content import services as content
from assessments.review import services as workflow
from assessments.review.changes import changes_since_return, word_diff
from tests.factories import ComponentTagFactory, PopulationGroupFactory, ThreatFactory

pytestmark = pytest.mark.django_db


def test_word_diff_marks_inserted_and_deleted_words():
    assert word_diff("herders move north", "herders and farmers move south") == [
        ("equal", "herders"),
        ("insert", "and farmers"),
        ("equal", "move"),
        ("delete", "north"),
        ("insert", "south"),
    ]


@pytest.fixture
def returned_with_changes(assessment, practitioner, supervisor):
    section = assessment.framework_version.sections.order_by("order").first()
    prompt = section.prompts.first()
    content.section_save(
        assessment=assessment,
        section=section,
        user=practitioner,
        texts={prompt.key: "Herders move north in the dry season."},
        versions={prompt.key: 0},
    )
    threat = ThreatFactory(assessment=assessment, title="Cattle raids", severity=2)
    gone = PopulationGroupFactory(assessment=assessment, name="Pastoralist youth")
    PopulationGroupFactory(assessment=assessment, name="Farmers")  # unchanged: not listed
    workflow.assessment_submit(assessment=assessment, user=practitioner)
    workflow.assessment_return(assessment=assessment, user=supervisor, note="More on herders.")

    content.section_save(
        assessment=assessment,
        section=section,
        user=practitioner,
        texts={prompt.key: "Herders and farmers move south in the dry season."},
        versions={prompt.key: 1},
    )
    threat.severity = 4
    threat.save()
    tag = ComponentTagFactory(threat=threat)
    content.group_delete(assessment=assessment, group=gone, user=practitioner)
    workflow.assessment_submit(assessment=assessment, user=practitioner)
    return assessment, prompt, tag


def test_the_changes_are_read_from_the_history(returned_with_changes):
    assessment, prompt, tag = returned_with_changes
    changes = changes_since_return(assessment)

    [(section, [(changed_prompt, answer)])] = changes.answers
    assert changed_prompt == prompt
    assert ("insert", "and farmers") in answer.words and ("delete", "north") in answer.words
    items = dict(changes.items)
    [threat] = items["Threats"]
    assert threat.status == "changed"
    assert [(f.label, f.before, f.after) for f in threat.fields] == [
        ("Severity", "2", "4"),
        ("Component tags", "", str(tag.component)),
    ]
    assert [(g.title, g.status) for g in items["Population groups"]] == [
        ("Pastoralist youth", "removed")
    ]


def test_the_reviewer_sees_the_changes_page_linked_from_the_review(
    client, login, returned_with_changes, supervisor
):
    assessment, _prompt, _tag = returned_with_changes
    c = login(supervisor)
    review = c.get(reverse("assessments:review", args=[assessment.pk])).content.decode()
    url = reverse("assessments:changes", args=[assessment.pk])
    assert url in review

    page = html.unescape(c.get(url).content.decode())
    assert "<ins" in page and "<del" in page
    assert "added:" in page and "removed:" in page  # said in words, not by colour alone
    assert "and farmers" in page and "north" in page
    assert "Cattle raids" in page and "Pastoralist youth" in page


def test_an_assessment_never_returned_has_nothing_to_compare(client, login, assessment, supervisor):
    assert changes_since_return(assessment) is None
    page = login(supervisor).get(reverse("assessments:changes", args=[assessment.pk]))
    assert b"never been returned" in page.content
    review = login(supervisor).get(reverse("assessments:review", args=[assessment.pk]))
    assert reverse("assessments:changes", args=[assessment.pk]).encode() not in review.content
