"""`assessment_view`, the one way a page gets its assessment: for every permission name,
people outside the team get a 404, people of the team the rule refuses a 403 that says
why, and a move the status forbids sends the author to the overview with a message.

The probes below are tiny views decorated with each name, mounted beside the real URLs,
so the answers pass through the same middleware (sign-in, messages) and 403 page as the
app's own. The permission matrices (test_permissions.py, review/test_permissions_review.py)
check the real pages.
"""

from __future__ import annotations

import html

import pytest
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone

from assessments import permissions
from assessments.access import assessment_view
from assessments.models import Assessment, Membership
from hsassess.urls import urlpatterns as site_urls
from tests.factories import AssessmentFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _probe(request, assessment, **kwargs):
    return HttpResponse(f"reached {assessment.pk} as {request.method}")


urlpatterns = [
    *(
        path(f"probe/{name}/<int:pk>/", assessment_view(name)(_probe), name=f"probe-{name}")
        for name in permissions.RULES
    ),
    path("probe/section/<int:pk>/", assessment_view("view", post="edit")(_probe)),
    *site_urls,
]

# For every name: the status the assessment is in, a person of the team the rule refuses
# (None: the rule refuses nobody who sees the assessment) and one it lets through.
CASES = {
    "view": ("draft", None, "teammate"),
    "edit": ("draft", "supervisor", "collaborator"),
    "submit": ("draft", "teammate", "owner"),
    "comment": ("submitted", "owner", "supervisor"),
    "resolve_comment": ("submitted", "teammate", "collaborator"),
    "reply": ("submitted", "teammate", "supervisor"),
    "download_brief": ("approved", "teammate", "owner"),
    "export_final": ("draft", "teammate", "supervisor"),
    "record_reading": ("approved", "teammate", "supervisor"),
    "reassess": ("approved", "teammate", "owner"),
}
# The names whose move the status can forbid: an author meeting a locked assessment is
# told why on the overview. The others leave the status to the page and its service.
LOCKED_BY_STATUS = {"edit"}


@pytest.fixture
def people(team, other_team, practitioner, supervisor) -> dict:
    def member(username, in_team, role=Membership.Role.PRACTITIONER):
        return MembershipFactory(team=in_team, user=UserFactory(username=username), role=role).user

    return {
        "owner": practitioner,
        "collaborator": member("cleo", team),
        "teammate": member("tom", team),
        "supervisor": supervisor,
        "outsider": member("olga", other_team),
        "other_supervisor": member("sam", other_team, Membership.Role.SUPERVISOR),
    }


@pytest.fixture
def work(version, team, people) -> Assessment:
    assessment = AssessmentFactory(team=team, owner=people["owner"], framework_version=version)
    assessment.collaborators.add(people["collaborator"])
    return assessment


def _in_status(assessment: Assessment, status: str) -> Assessment:
    now = timezone.now()
    approved = status == Assessment.Status.APPROVED
    Assessment.objects.filter(pk=assessment.pk).update(
        status=status,
        submitted_at=None if status == "draft" else now,
        approved_at=now if approved else None,
    )
    return Assessment.objects.get(pk=assessment.pk)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_every_permission_name_has_a_case():
    assert set(CASES) == set(permissions.RULES)
    assert {name for name, rule in permissions.RULES.items() if rule.status_allows} == (
        LOCKED_BY_STATUS
    )


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("role", ["outsider", "other_supervisor"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_people_outside_the_team_get_a_404(client, people, work, name, role, method):
    status, _refused, _allowed = CASES[name]
    _in_status(work, status)
    client.force_login(people[role])

    response = getattr(client, method)(f"/probe/{name}/{work.pk}/")

    assert response.status_code == 404
    assert "reached" not in response.content.decode()


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_assessment_that_does_not_exist_is_a_404(client, people, work, name):
    client.force_login(people["owner"])

    response = client.get(f"/probe/{name}/{work.pk + 1000}/")

    assert response.status_code == 404


@pytest.mark.parametrize("name", sorted(CASES))
def test_signing_in_comes_first(client, work, name):
    response = client.get(f"/probe/{name}/{work.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/probe/{name}/{work.pk}/"


@pytest.mark.parametrize("name", sorted(n for n, case in CASES.items() if case[1]))
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_person_of_the_team_the_rule_refuses_gets_a_403_that_says_why(
    client, people, work, name, method
):
    status, refused, _allowed = CASES[name]
    _in_status(work, status)
    client.force_login(people[refused])

    response = getattr(client, method)(f"/probe/{name}/{work.pk}/")

    assert response.status_code == 403
    page = html.unescape(response.content.decode())
    assert str(permissions.RULES[name].refusal) in page
    assert "reached" not in page


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_person_the_rule_allows_reaches_the_view_with_the_assessment(client, people, work, name):
    status, _refused, allowed = CASES[name]
    _in_status(work, status)
    client.force_login(people[allowed])

    response = client.get(f"/probe/{name}/{work.pk}/")

    assert response.status_code == 200
    assert response.content.decode() == f"reached {work.pk} as GET"


@pytest.mark.parametrize("name", sorted(LOCKED_BY_STATUS))
@pytest.mark.parametrize("status", [Assessment.Status.SUBMITTED, Assessment.Status.APPROVED])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_move_the_status_forbids_goes_to_the_overview_saying_why(
    client, people, work, name, status, method
):
    _in_status(work, status)
    client.force_login(people[CASES[name][2]])

    response = getattr(client, method)(f"/probe/{name}/{work.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{work.pk}/"
    assert _messages(response) == [
        f"This assessment is {status}: it cannot be changed until a supervisor returns or "
        "reopens it."
    ]


@pytest.mark.parametrize("name", sorted(LOCKED_BY_STATUS))
def test_the_status_does_not_excuse_a_person_the_rule_refuses(client, people, work, name):
    # Refused for who they are, not told to wait for a status they could never use.
    _in_status(work, Assessment.Status.SUBMITTED)
    client.force_login(people["teammate"])

    response = client.post(f"/probe/{name}/{work.pk}/")

    assert response.status_code == 403
    assert _messages(response) == []


@pytest.mark.parametrize(
    ("name", "role", "status"),
    [
        # Submitting is the service's to refuse on a locked assessment, with its reason.
        ("submit", "owner", Assessment.Status.SUBMITTED),
        ("comment", "supervisor", Assessment.Status.APPROVED),
        ("resolve_comment", "owner", Assessment.Status.APPROVED),
        ("view", "teammate", Assessment.Status.APPROVED),
        ("export_final", "supervisor", Assessment.Status.SUBMITTED),
    ],
)
def test_the_other_names_leave_the_status_to_the_view(client, people, work, name, role, status):
    _in_status(work, status)
    client.force_login(people[role])

    response = client.post(f"/probe/{name}/{work.pk}/")

    assert response.status_code == 200
    assert response.content.decode() == f"reached {work.pk} as POST"


# --- a page that everyone who sees it reads, and only authors change ---------------------


def test_a_read_and_write_page_is_read_by_any_member_of_the_team(client, people, work):
    client.force_login(people["teammate"])

    assert client.get(f"/probe/section/{work.pk}/").content.decode() == (
        f"reached {work.pk} as GET"
    )
    refused = client.post(f"/probe/section/{work.pk}/")
    assert refused.status_code == 403
    assert str(permissions.RULES["edit"].refusal) in html.unescape(refused.content.decode())


def test_a_read_and_write_page_of_a_locked_assessment_reads_but_does_not_write(
    client, people, work
):
    _in_status(work, Assessment.Status.SUBMITTED)
    client.force_login(people["owner"])

    assert client.get(f"/probe/section/{work.pk}/").status_code == 200
    locked = client.post(f"/probe/section/{work.pk}/")
    assert locked.status_code == 302
    assert locked["Location"] == f"/assessments/{work.pk}/"


def test_an_unknown_permission_name_fails_when_the_view_is_declared():
    with pytest.raises(KeyError):
        assessment_view("approve")
    with pytest.raises(KeyError):
        assessment_view("view", post="delete")


# --- the app's own pages ---------------------------------------------------------------------


def test_every_page_of_one_assessment_loads_it_through_the_decorator():
    """A page with an assessment id in its URL that fetched the assessment itself could
    forget the scope (a 200 for another team) or the check."""
    from assessments.urls import urlpatterns

    with_pk = [p for p in urlpatterns if "pk" in p.pattern.converters]
    assert len(with_pk) > 15
    undecorated = [p.name for p in with_pk if not hasattr(p.callback, "assessment_permission")]
    assert undecorated == []
    declared = {p.callback.assessment_permission for p in with_pk}
    assert {name for pair in declared for name in pair if name} <= set(permissions.RULES)
