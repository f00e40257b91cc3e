"""The demo's two editions, rendered once for every brief test module that reads them
(a render costs seconds)."""

from __future__ import annotations

import pytest

from assessments.briefs import render as briefs
from assessments.briefs.public import public_hits
from assessments.models import PopulationGroup, Threat
from assessments.review import services as workflow
from tests.assessments.briefs.shared import demo


@pytest.fixture(scope="package")
def editions(django_db_setup, django_db_blocker):
    """The demo as it ships, submitted and approved: the two editions a supervisor
    downloads (rendered as the approval freezes them)."""
    with django_db_blocker.unblock():
        from django.contrib.auth import get_user_model
        from django.db import transaction

        with transaction.atomic():
            assessment = demo()
            workflow.assessment_submit(assessment=assessment, user=assessment.owner)
            supervisor = get_user_model().objects.get(username="supervisor")
            workflow.assessment_approve(assessment=assessment, user=supervisor)
            assessment.refresh_from_db()
            hits = public_hits(assessment)
            restricted = briefs.render_brief_pdf(assessment=assessment)
            public = briefs.render_brief_pdf(assessment=assessment, public=True)
            threats = {t.title: t for t in Threat.objects.filter(assessment=assessment)}
            groups = {g.name: g.sensitive for g in PopulationGroup.objects.all()}
            affected = {
                t.title: [g.name for g in t.affected_groups.all()] for t in threats.values()
            }
            names = [
                name
                for g in PopulationGroup.objects.filter(assessment=assessment, sensitive=True)
                for name in (g.name, *g.alias_list)
            ]
            transaction.set_rollback(True)
    return {
        "restricted": restricted,
        "public": public,
        "hits": hits,
        "names": names,
        "threats": {title: t.number for title, t in threats.items()},
        "groups": groups,
        "affected": affected,
    }
