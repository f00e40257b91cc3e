"""Batch exports of approved briefs: ask, follow, download, try again."""

from django.urls import path

from assessments.batch import views

urlpatterns = [
    path("exports/", views.batch_exports, name="batch_exports"),
    path("exports/<int:export_id>/", views.batch_export_detail, name="batch_export"),
    path(
        "exports/<int:export_id>/download/",
        views.batch_export_download,
        name="batch_export_download",
    ),
    path("exports/<int:export_id>/retry/", views.batch_export_retry, name="batch_export_retry"),
]
