from django.urls import path

from assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.assessment_create, name="create"),
    path("import/", views.assessment_import, name="import"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/edit/", views.assessment_edit, name="edit"),
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
    path("<int:pk>/submit/", views.assessment_submit, name="submit"),
    path("<int:pk>/review/", views.assessment_review, name="review"),
    path("<int:pk>/comments/<int:cid>/resolve/", views.comment_resolve, name="comment_resolve"),
    path("<int:pk>/brief.pdf", views.brief_pdf, name="brief"),
    path("<int:pk>/briefs/<int:fid>.pdf", views.frozen_brief_pdf, name="frozen_brief"),
    path("<int:pk>/export.json", views.export_json, name="export_json"),
    path("<int:pk>/threats.csv", views.threats_csv, name="threats_csv"),
]
