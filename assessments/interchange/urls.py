"""Importing an assessment, and its data exports (JSON, threats as CSV and XLSX)."""

from django.urls import path

from assessments.interchange import views

urlpatterns = [
    path("import/", views.assessment_import, name="import"),
    path("<int:pk>/export.json", views.export_json, name="export_json"),
    path("<int:pk>/threats.csv", views.threats_csv, name="threats_csv"),
    path("<int:pk>/threats.xlsx", views.threats_xlsx, name="threats_xlsx"),
]
