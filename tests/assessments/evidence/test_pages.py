"""The evidence pages: the register, a source's form with its file, the download (only
for the team), the delete that shows what cites the source, quotes, citation pickers."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Quote, Source
from tests.factories import (
    MembershipFactory,
    PopulationGroupFactory,
    QuoteFactory,
    ResponseFactory,
    SourceFactory,
    ThreatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


def _url(name, assessment, *args):
    return reverse(f"assessments:{name}", args=[assessment.pk, *args])


def _source_data(**extra):
    return {
        "kind": "report",
        "title": "Camp <b>survey</b>",
        "reliability": "B",
        "credibility": "2",
        **extra,
    }


def test_the_register_lists_sources_and_explains_the_grades(
    client, assessment, practitioner, django_assert_max_num_queries
):
    for n in range(3):
        SourceFactory(assessment=assessment, title=f"<i>Report</i> {n}")
    client.force_login(practitioner)

    with django_assert_max_num_queries(12):
        response = client.get(_url("sources", assessment))

    content = response.content.decode()
    assert response.status_code == 200
    assert "How sources are graded" in content
    assert "A – Completely reliable" in content and "6 – Truth cannot be judged" in content
    assert "&lt;i&gt;Report&lt;/i&gt; 0" in content and "<i>Report" not in content
    assert ">B2<" in content


def test_a_source_is_added_with_a_file_and_downloaded_by_the_team(
    client, assessment, practitioner, team
):
    client.force_login(practitioner)
    upload = SimpleUploadedFile("survey.pdf", PDF, content_type="application/pdf")

    response = client.post(_url("source_create", assessment), _source_data(attachment=upload))

    assert response.status_code == 302
    source = Source.objects.get()
    assert (source.ref, source.file_name, source.file_type) == (
        "S1",
        "survey.pdf",
        "application/pdf",
    )
    assert "survey.pdf" not in source.file.name  # stored under a name of ours
    teammate = MembershipFactory(team=team, user=UserFactory(username="tom")).user
    client.force_login(teammate)
    download = client.get(_url("source_file", assessment, source.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="survey.pdf"'
    assert download["Cache-Control"] == "no-store, private"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download.content == PDF


def test_outsiders_get_404_for_the_file_and_anonymous_people_sign_in(
    client, assessment, other_team
):
    source = SourceFactory(assessment=assessment)
    url = _url("source_file", assessment, source.pk)

    assert client.get(url)["Location"].startswith(reverse("login"))
    outsider = MembershipFactory(team=other_team, user=UserFactory(username="olga")).user
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(_url("source_detail", assessment, source.pk)).status_code == 404


def test_a_source_of_another_assessment_is_404(client, assessment, practitioner):
    foreign = SourceFactory()
    client.force_login(practitioner)

    assert client.get(_url("source_detail", assessment, foreign.pk)).status_code == 404
    assert client.get(_url("source_file", assessment, foreign.pk)).status_code == 404


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_saved(
    client, assessment, practitioner, settings
):
    client.force_login(practitioner)
    upload = SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64)

    response = client.post(_url("source_create", assessment), _source_data(attachment=upload))

    assert response.status_code == 200
    assert "is not a PDF, PNG or JPEG image, or plain UTF-8 text" in response.content.decode()
    assert not Source.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(media.rglob("*.*"))


def test_deleting_a_cited_source_asks_first_and_shows_what_cites_it(
    client, assessment, practitioner
):
    source = SourceFactory(assessment=assessment)
    threat = ThreatFactory(assessment=assessment, title="Flooding <script>")
    threat.sources.add(source)
    client.force_login(practitioner)

    page = client.get(_url("source_delete", assessment, source.pk))

    content = page.content.decode()
    assert "is cited by 1 item" in content
    assert f"T{threat.number} <bdi>Flooding &lt;script&gt;</bdi>" in content
    assert Source.objects.exists()
    done = client.post(_url("source_delete", assessment, source.pk))
    assert done["Location"] == _url("sources", assessment)
    assert not Source.objects.exists()
    assert threat.sources.count() == 0


def test_a_source_page_shows_what_cites_it(client, assessment, practitioner):
    source = SourceFactory(assessment=assessment)
    threat = ThreatFactory(assessment=assessment, title="Cattle raids")
    threat.sources.add(source)
    QuoteFactory(assessment=assessment, source=source, text="They came at night.")
    client.force_login(practitioner)

    content = client.get(_url("source_detail", assessment, source.pk)).content.decode()

    assert "Cattle raids" in content
    assert "They came at night." in content


def test_the_quote_form_asks_for_no_names_and_refuses_a_team_members(
    client, assessment, practitioner
):
    group = PopulationGroupFactory(assessment=assessment)
    source = SourceFactory(assessment=assessment)
    client.force_login(practitioner)

    form = client.get(_url("quote_create", assessment)).content.decode()
    response = client.post(
        _url("quote_create", assessment),
        {
            "text": "Pat told us the well is dry.",
            "group": group.pk,
            "source": source.pk,
            "language": "Kanuri",
            "consent": "publication",
        },
    )

    assert "No personal names" in form
    assert response.status_code == 200
    assert "names “pat”" in response.content.decode()
    assert not Quote.objects.exists()


def test_a_quote_is_recorded_and_listed_with_its_consent(client, assessment, practitioner):
    group = PopulationGroupFactory(assessment=assessment, name="Herders")
    source = SourceFactory(assessment=assessment)
    client.force_login(practitioner)

    response = client.post(
        _url("quote_create", assessment),
        {
            "text": "We move the herds <at night>.",
            "group": group.pk,
            "source": source.pk,
            "language": "Fulfulde",
            "translation": "",
            "consent": "internal",
        },
    )

    assert response["Location"] == _url("quotes", assessment)
    content = client.get(_url("quotes", assessment)).content.decode()
    assert "We move the herds &lt;at night&gt;." in content
    assert "internal only" in content


def test_the_threat_form_offers_the_sources_and_the_list_shows_the_citation(
    client, assessment, practitioner
):
    source = SourceFactory(assessment=assessment, title="Radio monitoring")
    threat = ThreatFactory(assessment=assessment)
    client.force_login(practitioner)

    form = client.get(_url("threat_update", assessment, threat.pk)).content.decode()
    assert 'name="sources"' in form and 'id="id_sources_0"' in form
    assert "S1 Radio monitoring (B2)" in form
    threat.sources.add(source)

    listed = client.get(_url("threats", assessment)).content.decode()
    assert "S1</a> (B2)" in listed


def test_an_answer_cites_sources_from_the_section_page(client, assessment, practitioner):
    source = SourceFactory(assessment=assessment, title="Key informant")
    client.force_login(practitioner)
    url = _url("section", assessment, "context")

    response = client.post(
        url,
        {
            "text_context-situation": "Rains came early.",
            "version_context-situation": "0",
            "sources_context-situation": [source.pk],
            "next": "overview",
        },
    )

    assert response.status_code == 302
    answer = assessment.answers.get(prompt__key="context-situation")
    assert list(answer.sources.all()) == [source]
    page = client.get(url).content.decode()
    assert "Sources cited (1)" in page


def test_the_section_pickers_read_the_sources_once_whatever_their_number(
    client, assessment, practitioner
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cited = SourceFactory(assessment=assessment, title="Camp survey")
    client.force_login(practitioner)
    url = _url("section", assessment, "context")
    answer = {
        "text_context-situation": "Rains came early.",
        "version_context-situation": "0",
        "sources_context-situation": [cited.pk],
    }
    assert client.post(url, answer).status_code == 302

    def queries() -> tuple[int, int, str]:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url).content.decode()
        sql = [q["sql"] for q in ctx.captured_queries]
        # The pickers' list of sources, apart from the answers' citations (a prefetch).
        pickers = [q for q in sql if 'FROM "assessments_source"' in q and "_answers" not in q]
        return len(sql), len(pickers), page

    few, read_few, _ = queries()
    for n in range(11):
        SourceFactory(assessment=assessment, title=f"Report {n}")
    many, read_many, page = queries()

    assert many == few
    assert read_few == read_many == 1  # once for all the prompts' pickers
    prompts = assessment.framework_version.sections.get(key="context").prompts.count()
    # Every prompt offers all twelve sources; the one the answer cites is ticked.
    assert page.count("Report 10 (B2)") == prompts
    ticked = re.search(
        rf'<input[^>]*name="sources_context-situation"[^>]*value="{cited.pk}"[^>]*>', page
    ) or re.search(
        rf'<input[^>]*value="{cited.pk}"[^>]*name="sources_context-situation"[^>]*>', page
    )
    assert ticked and "checked" in ticked.group(0)


def test_an_indicator_cites_sources_from_the_threat_form(client, assessment, practitioner):
    source = SourceFactory(assessment=assessment)
    threat = ThreatFactory(assessment=assessment)
    client.force_login(practitioner)
    data = {
        "title": threat.title,
        "dimension": threat.dimension_id,
        "onset": "chronic",
        "likelihood": "3",
        "severity": "3",
        "urgency": "2",
        "trend": "stable",
        "confidence": "medium",
        "basis": "observed",
        "version": threat.version,
        "sources": [source.pk],
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "0",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
        "indicators-0-name": "Market prices",
        "indicators-0-kind": "proximate",
        "indicators-0-sources": [source.pk],
    }

    response = client.post(_url("threat_update", assessment, threat.pk), data)

    assert response.status_code == 302
    assert list(threat.sources.all()) == [source]
    assert list(threat.indicators.get().sources.all()) == [source]


def test_citing_a_source_deleted_meanwhile_is_refused_and_saves_nothing(
    client, assessment, practitioner
):
    source = SourceFactory(assessment=assessment)
    client.force_login(practitioner)
    pk = source.pk
    source.delete()  # by someone else, after this person loaded the form

    response = client.post(
        _url("response_create", assessment),
        {"title": "Radio", "strategy": "protection", "status": "recommended", "sources": [pk]},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["sources"]
    assert "Nothing was saved" in response.content.decode()
    assert not assessment.responses.exists()


def test_the_register_counts_what_cites_each_source(client, assessment, practitioner):
    source = SourceFactory(assessment=assessment)
    for _ in range(3):
        ThreatFactory(assessment=assessment).sources.add(source)
    ResponseFactory(assessment=assessment).sources.add(source)
    ResponseFactory(assessment=assessment).sources.add(source)
    client.force_login(practitioner)

    response = client.get(_url("sources", assessment))

    row = response.context["sources"].get()
    assert (row.n_threats, row.n_responses, row.n_indicators) == (3, 2, 0)
    assert "5 items" in response.content.decode()
