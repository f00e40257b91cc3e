"""The evidence pages of an assessment: the source register, sources and their files,
and quotes."""

from django.urls import path

from assessments.evidence import views

urlpatterns = [
    path("<int:pk>/sources/", views.source_list, name="sources"),
    path("<int:pk>/sources/new/", views.source_form, name="source_create"),
    path("<int:pk>/sources/<int:sid>/", views.source_detail, name="source_detail"),
    path("<int:pk>/sources/<int:sid>/edit/", views.source_form, name="source_update"),
    path("<int:pk>/sources/<int:sid>/delete/", views.source_delete, name="source_delete"),
    path("<int:pk>/sources/<int:sid>/file/", views.source_file, name="source_file"),
    path("<int:pk>/quotes/", views.quote_list, name="quotes"),
    path("<int:pk>/quotes/new/", views.quote_create, name="quote_create"),
    path("<int:pk>/quotes/<int:oid>/edit/", views.quote_update, name="quote_update"),
    path("<int:pk>/quotes/<int:oid>/delete/", views.quote_delete, name="quote_delete"),
]
