"""Moving an assessment to a newer framework version (owner and collaborators)."""

from django.urls import path

from assessments.upgrade import views

urlpatterns = [
    path("<int:pk>/upgrade/", views.assessment_upgrade, name="upgrade"),
    path("<int:pk>/upgrade/undo/", views.assessment_upgrade_undo, name="upgrade_undo"),
]
