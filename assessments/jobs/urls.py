"""A background job's page, its status for the page's script, its result and retrying."""

from django.urls import path

from assessments.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<int:job_id>/", views.job_detail, name="detail"),
    path("<int:job_id>/status.json", views.job_status, name="status"),
    path("<int:job_id>/result", views.job_result, name="result"),
    path("<int:job_id>/retry/", views.job_retry, name="retry"),
]
