"""Review in place (issue 13, item 2): threads on the assessment, a section, an answer and
items; replies by either side, resolving and reopening, who is told, the counts, the page
of all threads, and the return banner."""

from __future__ import annotations

import html

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Comment, Membership, Notification
from assessments.review import services as workflow
from tests.factories import PopulationGroupFactory, SourceFactory, ThreatFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def second_supervisor(team):
    return member(team, "sid", Membership.Role.SUPERVISOR)


@pytest.fixture
def submitted(assessment, practitioner):
    assessment, _gaps = workflow.assessment_submit(assessment=assessment, user=practitioner)
    return assessment


@pytest.fixture
def threat(assessment):
    return ThreatFactory(assessment=assessment, title="Cattle raids at the wells")


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_thread_on_a_threat_gets_replies_from_both_sides_and_is_resolved_and_reopened(
    submitted, supervisor, practitioner, threat
):
    root = workflow.assessment_comment(
        assessment=submitted, user=supervisor, text="Which wells?", threat=threat
    )
    reply = workflow.comment_reply(comment=root, user=practitioner, text="The northern ones.")
    again = workflow.comment_reply(comment=reply, user=supervisor, text="Name them.")

    assert root.threat == threat and root.parent is None
    # A reply to a reply joins the same thread.
    assert [reply.parent, again.parent] == [root, root]
    assert list(root.replies.order_by("id")) == [reply, again]

    resolved = workflow.comment_resolve(comment=again, user=practitioner)
    assert (resolved.pk, resolved.resolved_by) == (root.pk, practitioner)
    reopened = workflow.comment_reopen(comment=root, user=supervisor)
    assert reopened.resolved_at is None and reopened.resolved_by is None


def test_a_thread_is_about_one_thing_of_this_assessment(
    submitted, supervisor, threat, version, team, practitioner
):
    group = PopulationGroupFactory(assessment=submitted)
    with pytest.raises(ValidationError):
        workflow.assessment_comment(
            assessment=submitted, user=supervisor, text="Both?", threat=threat, group=group
        )
    foreign = ThreatFactory()
    with pytest.raises(ValidationError):
        workflow.assessment_comment(
            assessment=submitted, user=supervisor, text="Elsewhere", threat=foreign
        )
    assert not Comment.objects.exists()


def test_only_authors_and_supervisors_reply_and_resolve(submitted, supervisor, teammate, threat):
    root = workflow.assessment_comment(
        assessment=submitted, user=supervisor, text="Which wells?", threat=threat
    )
    with pytest.raises(ValidationError):
        workflow.comment_reply(comment=root, user=teammate, text="Me too")
    with pytest.raises(ValidationError):
        workflow.comment_resolve(comment=root, user=teammate)
    with pytest.raises(ValidationError):
        workflow.assessment_comment(assessment=submitted, user=teammate, text="Hm")
    assert Comment.objects.count() == 1


def test_a_reply_tells_the_other_side(
    submitted,
    supervisor,
    second_supervisor,
    practitioner,
    collaborator,
    teammate,
    threat,
    django_capture_on_commit_callbacks,
):
    root = workflow.assessment_comment(
        assessment=submitted, user=supervisor, text="Which wells?", threat=threat
    )
    # The reviewer wrote: the authors are told, nobody else.
    assert {n.recipient for n in Notification.objects.filter(kind="commented")} == {
        practitioner,
        collaborator,
    }
    Notification.objects.all().delete()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.comment_reply(comment=root, user=collaborator, text="The northern ones.")

    # An author replied: the reviewers (who wrote in the thread, who may decide).
    told = {n.recipient for n in Notification.objects.filter(kind="commented")}
    assert told == {supervisor, second_supervisor}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [supervisor.email, second_supervisor.email]
    )
    # Nothing of the thread's text in the email; a link to the threads.
    assert all("northern" not in m.body for m in mail.outbox)
    threads = reverse("assessments:threads", args=[submitted.pk])
    assert all(threads in m.body for m in mail.outbox)


def test_the_threads_page_lists_open_first_and_filters(
    client, login, submitted, supervisor, practitioner, threat
):
    first = workflow.assessment_comment(assessment=submitted, user=supervisor, text="Old remark")
    workflow.comment_resolve(comment=first, user=practitioner)
    workflow.assessment_comment(
        assessment=submitted, user=supervisor, text="Open remark", threat=threat
    )
    url = reverse("assessments:threads", args=[submitted.pk])

    page = _page(login(practitioner), url)
    assert page.index("Open remark") < page.index("Old remark")
    assert "Cattle raids at the wells" in page
    assert reverse("assessments:threats", args=[submitted.pk]) in page
    assert "Old remark" not in _page(client, url + "?state=open")
    assert "Open remark" not in _page(client, url + "?state=resolved")


def test_a_supervisor_comments_where_they_read_and_the_author_replies_on_the_page(
    client, login, submitted, supervisor, practitioner, threat
):
    url = reverse("assessments:threads", args=[submitted.pk]) + f"?on=threat&id={threat.pk}"
    assert 'id="new-thread"' in _page(login(supervisor), url)
    response = client.post(url, {"text": "<b>Which</b> wells?"})
    assert response.status_code == 302 and response["Location"] == url
    root = Comment.objects.get()
    assert root.threat == threat

    author = login(practitioner)
    page = author.get(url).content.decode()
    assert "&lt;b&gt;Which&lt;/b&gt; wells?" in page  # escaped
    assert 'id="new-thread"' not in page  # authors reply, they do not start threads
    response = author.post(
        reverse("assessments:comment_reply", args=[submitted.pk, root.pk]),
        {"text": "North.", "next": url},
    )
    assert response["Location"] == url
    assert root.replies.get().text == "North."
    # An address outside the assessment is never followed.
    response = author.post(
        reverse("assessments:comment_reply", args=[submitted.pk, root.pk]),
        {"text": "Again.", "next": "//evil.example/"},
    )
    assert response["Location"] == reverse("assessments:threads", args=[submitted.pk])


def test_outsiders_get_a_404_and_teammates_only_read(
    client, login, submitted, supervisor, teammate, other_team, threat
):
    root = workflow.assessment_comment(assessment=submitted, user=supervisor, text="Wells?")
    url = reverse("assessments:threads", args=[submitted.pk])
    outsider = member(other_team, "olga", Membership.Role.SUPERVISOR)
    assert login(outsider).get(url).status_code == 404
    page = _page(login(teammate), url)
    assert "Wells?" in page and "Reply</button>" not in page and "Mark resolved" not in page
    reply = reverse("assessments:comment_reply", args=[submitted.pk, root.pk])
    assert client.post(reply, {"text": "Me"}).status_code == 403


def test_open_thread_counts_on_overview_sidebar_and_item_cards(
    client, login, submitted, supervisor, practitioner, threat
):
    section = submitted.framework_version.sections.order_by("order").first()
    prompt = section.prompts.first()
    source = SourceFactory(assessment=submitted)
    workflow.assessment_comment(assessment=submitted, user=supervisor, text="A", threat=threat)
    workflow.assessment_comment(assessment=submitted, user=supervisor, text="B", prompt=prompt)
    workflow.assessment_comment(assessment=submitted, user=supervisor, text="C", section=section)
    closed = workflow.assessment_comment(
        assessment=submitted, user=supervisor, text="D", source=source
    )
    workflow.comment_reply(comment=closed, user=practitioner, text="Done.")
    workflow.comment_resolve(comment=closed, user=practitioner)
    pk = submitted.pk
    c = login(practitioner)

    assert "3 open threads" in _page(c, reverse("assessments:detail", args=[pk]))
    section_page = _page(c, reverse("assessments:section", args=[pk, section.key]))
    # Sidebar: the section's thread and its answer's thread.
    assert "2 open threads" in section_page
    assert "1 open thread" in section_page
    assert "1 open thread" in _page(c, reverse("assessments:threats", args=[pk]))
    source_page = _page(c, reverse("assessments:source_detail", args=[pk, source.pk]))
    assert "open thread" not in source_page


def test_each_comment_shows_once_on_the_review_page(client, login, submitted, supervisor):
    workflow.assessment_comment(assessment=submitted, user=supervisor, text="Check the dates.")
    page = _page(login(supervisor), reverse("assessments:review", args=[submitted.pk]))
    assert page.count("Check the dates.") == 1


def test_the_return_note_is_a_banner_for_authors_until_resubmission(
    client, login, submitted, supervisor, practitioner, teammate
):
    workflow.assessment_return(assessment=submitted, user=supervisor, note="Add the herders.")
    pk = submitted.pk
    threats = reverse("assessments:threats", args=[pk])
    author = login(practitioner)
    assert "Add the herders." in _page(author, reverse("assessments:detail", args=[pk]))
    assert "Add the herders." in _page(author, threats)
    assert "Add the herders." not in _page(login(teammate), threats)

    workflow.assessment_submit(assessment=submitted, user=practitioner)
    assert "Add the herders." not in _page(login(practitioner), threats)


def test_the_threads_page_takes_the_same_queries_for_many_threads(
    client, login, submitted, supervisor, practitioner, threat
):
    def add_threads(n):
        for i in range(n):
            root = workflow.assessment_comment(
                assessment=submitted, user=supervisor, text=f"Remark {i}", threat=threat
            )
            workflow.comment_reply(comment=root, user=practitioner, text=f"Answer {i}")

    c = login(practitioner)
    url = reverse("assessments:threads", args=[submitted.pk])
    add_threads(2)
    c.get(url)  # the session and the person's roles, loaded once
    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    add_threads(8)
    with CaptureQueriesContext(connection) as many:
        page = c.get(url).content.decode()
    assert page.count("Remark ") == 10
    assert len(many) == len(few)


def test_a_reviewer_finds_a_comment_link_on_each_item_and_answer(
    client, login, submitted, supervisor, practitioner
):
    group = PopulationGroupFactory(assessment=submitted, name="Herders")
    section = submitted.framework_version.sections.order_by("order").first()
    prompt = section.prompts.first()
    threads = reverse("assessments:threads", args=[submitted.pk])
    reviewer = login(supervisor)

    groups = _page(reviewer, reverse("assessments:groups", args=[submitted.pk]))
    assert f"{threads}?on=group&id={group.pk}#new-thread" in groups
    answers = _page(reviewer, reverse("assessments:section", args=[submitted.pk, section.key]))
    assert f"{threads}?on=answer&id={prompt.pk}#new-thread" in answers
    assert f"{threads}?on=section&id={section.pk}#new-thread" in answers
    # Authors reply in threads; they do not start them.
    author = _page(login(practitioner), reverse("assessments:groups", args=[submitted.pk]))
    assert "#new-thread" not in author


@pytest.mark.parametrize(
    "target", ["on=threat&id=²", "on=threat&id=99999999999999999999", "on=x&id=1"]
)
def test_a_target_that_is_no_thing_of_this_assessment_is_a_404(
    client, login, submitted, supervisor, target
):
    url = reverse("assessments:threads", args=[submitted.pk]) + "?" + target
    assert login(supervisor).get(url).status_code == 404
