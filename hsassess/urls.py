"""The site's URLs: sign-in, the language switch, the admin and each app's own."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from assessments.core import views as assessment_views
from assessments.monitoring.urls import site_urlpatterns as monitoring_site
from hsassess.csp_reports import csp_report
from hsassess.language import set_language

admin.site.site_header = _("hsassess administration")
admin.site.site_title = _("hsassess")

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The language switch is in every page's footer, the sign-in page's included; for a
    # signed-in person it also saves the choice on their profile (hsassess/language.py).
    path("i18n/setlang/", set_language, name="set_language"),
    # Browsers post here what the Content-Security-Policy blocked (hsassess/csp_reports.py).
    path("csp-report/", csp_report, name="csp_report"),
    path("admin/", admin.site.urls),
    path("frameworks/", include("frameworks.urls")),
    path("assessments/", include("assessments.urls")),
    path("jobs/", include("assessments.jobs.urls")),
    *monitoring_site,
    path("", assessment_views.dashboard, name="dashboard"),
]
