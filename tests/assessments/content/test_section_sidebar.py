"""The section pages' sidebar says, per section, how many prompts are answered, how many
required ones are still empty and how many comments are open (issue 13, item 1)."""

from __future__ import annotations

import re

import pytest

from assessments.models import Comment
from tests.factories import AnswerFactory

pytestmark = pytest.mark.django_db


def _sidebar(page: str) -> str:
    nav = re.search(r'<nav class="col-md-3" aria-label="Sections">(.*?)</nav>', page, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", nav.group(1)))


def test_the_sidebar_counts_answers_missing_prompts_and_open_comments(
    client, assessment, practitioner, supervisor, django_assert_max_num_queries
):
    first, second = list(assessment.framework_version.sections.order_by("order"))[:2]
    prompts = list(first.prompts.order_by("order"))
    required = [p for p in prompts if p.required]
    AnswerFactory(assessment=assessment, prompt=required[0], text="Told by the elders.")
    AnswerFactory(assessment=assessment, prompt=prompts[-1], text="   ")  # blank: not answered
    Comment.objects.create(assessment=assessment, author=supervisor, section=second, text="A")
    Comment.objects.create(assessment=assessment, author=supervisor, section=second, text="B")
    done = Comment.objects.create(assessment=assessment, author=supervisor, section=first, text="C")
    Comment.objects.filter(pk=done.pk).update(resolved_at=done.created_at, resolved_by=supervisor)
    client.force_login(practitioner)
    client.get("/")  # the session's first page also reads the person's language, once

    # The page reads the assessment's sources for the citation pickers too (issue 10).
    with django_assert_max_num_queries(22):
        response = client.get(f"/assessments/{assessment.pk}/sections/{first.key}/")

    sidebar = _sidebar(response.content.decode())
    missing = len(required) - 1
    assert f"{first.title} 1 of {len(prompts)} answered , {missing} required missing" in sidebar
    n = second.prompts.count()
    needed = second.prompts.filter(required=True).count()
    assert f"{second.title} 0 of {n} answered , {needed} required missing , 2 open threads" in (
        sidebar
    )
    assert "open thread" not in sidebar.split(second.title)[0]
