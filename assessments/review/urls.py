"""Submitting, the review page, resolving comments and the briefs frozen at approval."""

from django.urls import path

from assessments.review import views

urlpatterns = [
    path("<int:pk>/submit/", views.assessment_submit, name="submit"),
    path("<int:pk>/review/", views.assessment_review, name="review"),
    path("<int:pk>/comments/<int:cid>/resolve/", views.comment_resolve, name="comment_resolve"),
    path("<int:pk>/briefs/<int:fid>.pdf", views.frozen_brief_pdf, name="frozen_brief"),
]
