from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from assessments import views as assessment_views

admin.site.site_header = _("hsassess administration")
admin.site.site_title = _("hsassess")

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("frameworks/", include("frameworks.urls")),
    path("assessments/", include("assessments.urls")),
    path("", assessment_views.dashboard, name="dashboard"),
]
