from django.urls import path

from assessments.content import views

urlpatterns = [
    path("<int:pk>/sections/<slug:key>/", views.section_edit, name="section"),
    path("<int:pk>/groups/", views.group_list, name="groups"),
    path("<int:pk>/groups/new/", views.item_form, {"kind": "group"}, name="group_create"),
    path(
        "<int:pk>/groups/<int:oid>/edit/", views.item_form, {"kind": "group"}, name="group_update"
    ),
    path(
        "<int:pk>/groups/<int:oid>/delete/",
        views.item_delete,
        {"kind": "group"},
        name="group_delete",
    ),
    path("<int:pk>/threats/", views.threat_list, name="threats"),
    path("<int:pk>/threats/new/", views.threat_form, name="threat_create"),
    path("<int:pk>/threats/<int:tid>/edit/", views.threat_form, name="threat_update"),
    path(
        "<int:pk>/threats/<int:oid>/delete/",
        views.item_delete,
        {"kind": "threat"},
        name="threat_delete",
    ),
    path("<int:pk>/responses/", views.response_list, name="responses"),
    path("<int:pk>/responses/new/", views.item_form, {"kind": "response"}, name="response_create"),
    path(
        "<int:pk>/responses/<int:oid>/edit/",
        views.item_form,
        {"kind": "response"},
        name="response_update",
    ),
    path(
        "<int:pk>/responses/<int:oid>/delete/",
        views.item_delete,
        {"kind": "response"},
        name="response_delete",
    ),
]
