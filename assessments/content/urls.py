"""The content pages of an assessment: sections, and the groups, threats and responses."""

from django.urls import path

from assessments.content import views

urlpatterns = [
    path("<int:pk>/sections/<slug:key>/", views.section_edit, name="section"),
    path("<int:pk>/groups/", views.group_list, name="groups"),
    path("<int:pk>/groups/new/", views.group_create, name="group_create"),
    path("<int:pk>/groups/<int:oid>/edit/", views.group_update, name="group_update"),
    path("<int:pk>/groups/<int:oid>/delete/", views.group_delete, name="group_delete"),
    path("<int:pk>/threats/", views.threat_list, name="threats"),
    path("<int:pk>/threats/new/", views.threat_form, name="threat_create"),
    path("<int:pk>/threats/<int:tid>/edit/", views.threat_form, name="threat_update"),
    path("<int:pk>/threats/<int:oid>/delete/", views.threat_delete, name="threat_delete"),
    path("<int:pk>/responses/", views.response_list, name="responses"),
    path("<int:pk>/responses/new/", views.response_create, name="response_create"),
    path("<int:pk>/responses/<int:oid>/edit/", views.response_update, name="response_update"),
    path("<int:pk>/responses/<int:oid>/delete/", views.response_delete, name="response_delete"),
]
