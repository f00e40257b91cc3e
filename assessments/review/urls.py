"""Submitting, the review page, resolving comments and the briefs frozen at approval."""

from django.urls import path

from assessments.review import thread_views, views

urlpatterns = [
    path("<int:pk>/submit/", views.assessment_submit, name="submit"),
    path("<int:pk>/review/", views.assessment_review, name="review"),
    path("<int:pk>/comments/<int:cid>/resolve/", views.comment_resolve, name="comment_resolve"),
    path("<int:pk>/threads/", thread_views.thread_list, name="threads"),
    path("<int:pk>/comments/<int:cid>/reply/", thread_views.comment_reply, name="comment_reply"),
    path("<int:pk>/comments/<int:cid>/reopen/", thread_views.comment_reopen, name="comment_reopen"),
    path("<int:pk>/changes/", thread_views.assessment_changes, name="changes"),
    path("<int:pk>/briefs/<int:fid>.pdf", views.frozen_brief_pdf, name="frozen_brief"),
]
