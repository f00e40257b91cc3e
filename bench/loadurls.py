"""The app's URLs plus /bench/trivial/, a baseline for bench/load.

The trivial view goes through the same middleware as every page (sessions, the
authentication, LoginRequiredMiddleware, the idle timeout, CSRF, security headers) but
does no query of its own and renders no template: what it costs is the floor each page
pays before its own work.
"""

from django.http import HttpResponse
from django.urls import path

from hsassess.urls import urlpatterns as app_urlpatterns


def trivial(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), *app_urlpatterns]
