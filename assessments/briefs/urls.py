"""The brief of an assessment as a PDF download."""

from django.urls import path

from assessments.briefs import views

urlpatterns = [
    path("<int:pk>/brief.pdf", views.brief_pdf, name="brief"),
]
