"""A brief of more threats than BRIEF_BACKGROUND_THREATS is rendered by a worker: the
download sends the person to the job's page, which follows it and then offers the PDF.
Smaller briefs still come straight back."""

from __future__ import annotations

import html
import re

import pytest

from assessments.content import services as content
from assessments.models import Job
from tests.factories import ThreatFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(settings, assessment):
    settings.BRIEF_BACKGROUND_THREATS = 2
    for title in ("Flooding", "Cholera", "Eviction"):
        ThreatFactory(assessment=assessment, title=title)
    return assessment


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_a_large_brief_is_made_in_the_background_and_offered_on_its_page(
    client, login, fake_render, large, practitioner
):
    login(practitioner)

    response = client.get(f"/assessments/{large.pk}/brief.pdf")

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.status, job.requested_by) == ("brief", "done", practitioner)
    assert job.params == {"variant": "full", "language": "en"}
    page = _page(client.get(f"/jobs/{job.pk}/"))
    assert f"Brief of “{large.title}”" in page
    assert "Done" in page
    assert f'href="/jobs/{job.pk}/result"' in page
    result = client.get(f"/jobs/{job.pk}/result")
    assert result["Content-Type"] == "application/pdf"
    assert re.match(
        r'attachment; filename=".+-brief-\d{4}-\d\d-\d\d\.pdf"', result["Content-Disposition"]
    )
    assert result.content == fake_render.pdfs[-1]
    assert fake_render == [(large.pk, False)]


def test_asking_again_reuses_the_job_until_the_assessment_changes(
    client, login, fake_render, settings, large, practitioner
):
    login(practitioner)
    url = f"/assessments/{large.pk}/brief.pdf"
    first = client.get(url)["Location"]

    assert client.get(url)["Location"] == first
    assert len(fake_render) == 1

    public = client.get(url + "?variant=public")["Location"]
    assert public != first
    assert fake_render[-1] == (large.pk, True)
    assert "Public brief of" in _page(client.get(public))

    # A change (one of the three threats goes; two are still more than one).
    settings.BRIEF_BACKGROUND_THREATS = 1
    content.threat_delete(assessment=large, user=practitioner, threat=large.threats.first())
    stale = _page(client.get(first))
    assert "The assessment has changed since this brief was made" in stale
    assert client.get(url)["Location"] != first
    assert len(fake_render) == 3


def test_a_small_brief_comes_straight_back(
    client, login, fake_render, settings, assessment, practitioner
):
    settings.BRIEF_BACKGROUND_THREATS = 3
    for title in ("Flooding", "Cholera", "Eviction"):
        ThreatFactory(assessment=assessment, title=title)
    login(practitioner)

    response = client.get(f"/assessments/{assessment.pk}/brief.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert not Job.objects.exists()


def test_a_brief_of_much_text_goes_to_the_background_too(
    client, login, fake_render, settings, assessment, practitioner
):
    """Few threats, but long ones: the written analysis decides as well."""
    settings.BRIEF_BACKGROUND_THREATS = 3
    settings.BRIEF_BACKGROUND_CHARS = 30_000
    ThreatFactory(assessment=assessment, title="Flooding", description="Rain. " * 3_000)
    login(practitioner)
    url = f"/assessments/{assessment.pk}/brief.pdf"

    assert client.get(url).status_code == 200  # 18,000 characters: still in the request
    assert not Job.objects.exists()

    ThreatFactory(assessment=assessment, title="Cholera", root_causes="Wells. " * 2_000)
    response = client.get(url)  # 32,000 characters: to a worker
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"


def test_the_page_follows_a_queued_brief_until_it_is_ready(
    client, login, fake_render, run_worker, large, practitioner
):
    login(practitioner)
    job_url = client.get(f"/assessments/{large.pk}/brief.pdf")["Location"]
    job = Job.objects.get()

    page = client.get(job_url)
    text = _page(page)
    status = client.get(f"/jobs/{job.pk}/status.json")

    assert "Waiting for a worker" in text
    # Followed by a script file (no inline script: CSP), or without it by a refresh.
    assert '<script src="/static/js/job-status.js"></script>' in text
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in text
    assert f'data-status-url="/jobs/{job.pk}/status.json"' in text
    assert "<script>" not in text
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert status["Cache-Control"] == "no-store, private"
    assert status.json() == {
        "status": "queued",
        "label": "Waiting for a worker",
        "message": "Waiting for a worker to start. This page follows it by itself.",
        "finished": False,
        "result_url": None,
    }
    assert client.get(f"/jobs/{job.pk}/result").status_code == 404

    run_worker()

    assert client.get(f"/jobs/{job.pk}/status.json").json() == {
        "status": "done",
        "label": "Done",
        "message": "Ready.",
        "finished": True,
        "result_url": f"/jobs/{job.pk}/result",
    }
    done = _page(client.get(job_url))
    assert "job-status.js" not in done
    assert "refresh" not in done
    assert client.get(f"/jobs/{job.pk}/result").content == fake_render.pdfs[-1]


def test_a_brief_is_rendered_in_the_language_it_was_asked_in(
    client, login, run_worker, large, practitioner, monkeypatch
):
    """The analysis's language by default, whatever the asker's interface; `?lang=` asks
    for another (issue 11). The job carries it to the worker."""
    from assessments.briefs import render as brief_render

    languages = []

    def render(**kwargs):
        languages.append(kwargs["language"])
        return b"%PDF-1.7 stand-in"

    monkeypatch.setattr(brief_render, "render_brief_pdf", render)
    login(practitioner)
    client.cookies["django_language"] = "fr"

    client.get(f"/assessments/{large.pk}/brief.pdf")
    client.get(f"/assessments/{large.pk}/brief.pdf", {"lang": "es"})
    run_worker()

    jobs = Job.objects.order_by("pk")
    assert [j.params["language"] for j in jobs] == [large.language, "es"] == ["en", "es"]
    assert sorted(languages) == ["en", "es"]
