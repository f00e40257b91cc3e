"""The read-only framework browser every signed-in user sees."""

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from assessments.demo.seed import DEFAULT_FRAMEWORK
from frameworks.documents import parse
from frameworks.services import framework_import, version_new_draft, version_retire

LIST_URL = "/frameworks/"
V1_URL = "/frameworks/human-security-lens/v1/"

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_default_framework_to_a_practitioner(login, practitioner, version):
    assert not practitioner.is_staff

    response = login(practitioner).get(LIST_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Human Security Lens" in content
    assert f'href="{V1_URL}"' in content
    assert "Version 1 (Published)" in content


@pytest.mark.usefixtures("no_frameworks")
def test_the_list_says_so_when_nothing_is_published(login, practitioner):
    response = login(practitioner).get(LIST_URL)

    assert response.status_code == 200
    assert "No framework has been published yet." in response.content.decode()


def test_the_version_page_shows_the_whole_framework(login, practitioner, version):
    response = login(practitioner).get(V1_URL)

    assert response.status_code == 200
    content = response.content.decode()
    sections = list(version.sections.order_by("order"))
    assert len(sections) > 1
    for section in sections:
        assert escape(section.title) in content
    first_prompt = sections[0].prompts.order_by("order").first()
    assert escape(first_prompt.text) in content
    components = [component.name for component in version.components.all()]
    assert components == [
        "Person-centred",
        "Context-specific",
        "Multi-dimensional",
        "Preventive",
    ]
    for name in components:
        assert escape(name) in content
    for dimension in version.dimensions.all():
        assert escape(dimension.name) in content
    for level in version.scale_levels.all():
        assert escape(level.label) in content
    for label in ("Almost certain", "Catastrophic", "Immediate"):
        assert label in content


def test_the_version_page_lists_sections_in_order(login, practitioner, version):
    content = login(practitioner).get(V1_URL).content.decode()

    titles = [escape(s.title) for s in version.sections.order_by("order")]
    positions = [content.index(f">{title}</h3>") for title in titles]
    assert positions == sorted(positions)


def test_the_version_page_query_count_does_not_grow_with_the_framework(
    login, practitioner, version
):
    document = parse(DEFAULT_FRAMEWORK.read_bytes())
    document["version"]["number"] = 2
    for n in range(5):
        extra = copy.deepcopy(document["sections"][0])
        extra["key"] = f"extra-{n}"
        for prompt in extra["prompts"]:
            prompt["key"] = f"extra-{n}-{prompt['key']}"
        document["sections"].append(extra)
    framework_import(document=document, publish=True)
    client = login(practitioner)
    client.get(V1_URL)  # the session's first request costs more; measure steady pages

    with CaptureQueriesContext(connection) as small:
        assert client.get(V1_URL).status_code == 200
    with CaptureQueriesContext(connection) as large:
        response = client.get("/frameworks/human-security-lens/v2/")

    assert response.status_code == 200
    assert "extra-4" in response.content.decode()
    assert len(large) == len(small) <= 11


def test_a_draft_version_is_not_found_for_a_non_admin(login, practitioner, version):
    version_new_draft(version=version)
    client = login(practitioner)

    response = client.get("/frameworks/human-security-lens/v2/")

    assert response.status_code == 404
    assert "/frameworks/human-security-lens/v2/" not in client.get(LIST_URL).content.decode()


def test_a_retired_version_stays_readable(login, practitioner, version):
    version_retire(version=version)
    client = login(practitioner)

    response = client.get(V1_URL)

    assert response.status_code == 200
    assert "Retired" in response.content.decode()
    assert "Version 1 (Retired)" in client.get(LIST_URL).content.decode()


def test_an_unknown_version_is_not_found(login, practitioner, version):
    client = login(practitioner)

    assert client.get("/frameworks/human-security-lens/v9/").status_code == 404
    assert client.get("/frameworks/no-such-framework/v1/").status_code == 404


@pytest.mark.parametrize("url", [LIST_URL, V1_URL])
def test_anonymous_users_are_sent_to_sign_in(client, version, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
