"""The read-only framework browser (editing is in the admin)."""

from django.urls import path

from frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_list, name="list"),
    path("<slug:slug>/v<int:number>/", views.version_detail, name="version"),
]
