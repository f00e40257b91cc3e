"""The framework browser (everyone signed in) and the studio (framework admins)."""

from django.urls import path

from frameworks import studio, transfer, translate, views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_list, name="list"),
    path("import/", transfer.framework_import, name="import"),
    path("<slug:slug>/", studio.framework_detail, name="framework"),
    path("<slug:slug>/compare/", studio.compare_pick, name="compare-pick"),
    path("<slug:slug>/compare/<int:a>/<int:b>/", studio.version_compare, name="compare"),
    path("<slug:slug>/v<int:number>/", views.version_detail, name="version"),
    path("<slug:slug>/v<int:number>/export.yaml", transfer.version_export, name="export"),
    path("<slug:slug>/v<int:number>/new-draft/", studio.version_new_draft, name="new-draft"),
    path("<slug:slug>/v<int:number>/discard/", studio.version_discard, name="discard"),
    path("<slug:slug>/v<int:number>/edit/", studio.version_edit, name="edit"),
    path("<slug:slug>/v<int:number>/preview/", studio.version_preview, name="preview"),
    path(
        "<slug:slug>/v<int:number>/translate/<slug:language>/",
        translate.version_translate,
        name="translate",
    ),
    path(
        "<slug:slug>/v<int:number>/preview/<slug:key>/",
        studio.version_preview,
        name="preview-section",
    ),
    path("<slug:slug>/v<int:number>/publish/", studio.version_publish, name="publish"),
]
