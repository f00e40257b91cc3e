"""The brief of an assessment: the PDF (restricted or public edition), its first page on
screen, and the public edition's preview."""

from django.urls import path

from assessments.briefs import views

urlpatterns = [
    path("<int:pk>/brief.pdf", views.brief_pdf, name="brief"),
    path("<int:pk>/summary/", views.brief_summary, name="brief_summary"),
    path("<int:pk>/public-preview/", views.public_preview, name="public_preview"),
]
