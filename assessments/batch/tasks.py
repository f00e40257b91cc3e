"""The background task of batch exports. It runs in a task worker (or at once, with the
immediate backend), in the language of the person who asked."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from assessments.batch import services


@task()
def run_batch_export(export_id: int, site_url: str, language: str) -> str:
    """Build one batch export (services.batch_export_build); returns its status."""
    with translation.override(language):
        export = services.batch_export_build(export_id=export_id, site_url=site_url)
    return export.status if export is not None else "gone"
