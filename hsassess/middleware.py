"""Session idle timeout without a database write on every request; no caching of private
responses; the Content-Security-Policy."""

import time

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import reverse

TOUCH_KEY = "_hs_last_seen"


class SessionIdleMiddleware:
    """Refresh the session's expiry at most once per SESSION_TOUCH_INTERVAL seconds.

    The session store sets the expiry (SESSION_COOKIE_AGE, the idle timeout) when the
    session is saved. Saving on every request would add a write to every page; touching
    it every few minutes keeps the timeout within that margin for a fraction of the cost.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.interval = getattr(settings, "SESSION_TOUCH_INTERVAL", 300)

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get(TOUCH_KEY, 0) >= self.interval:
                session[TOUCH_KEY] = now
        return self.get_response(request)


class PrivateNoStoreMiddleware:
    """Pages and downloads for a signed-in person are never stored by a cache.

    Assessments name people at risk: a copy kept in a shared computer's browser cache, or
    in a caching proxy between a field office and the server, would outlive the session.
    Static files never get here: WhiteNoise answers them earlier, with their own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY), and the endpoint its
    `report-to` names: the Reporting API reads it from a header of its own."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        group = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].get("report-to")
        if group and "Content-Security-Policy" in response:
            # A relative URL: browsers resolve it against the page's own.
            response.headers.setdefault("Reporting-Endpoints", f'{group}="{reverse("csp_report")}"')
        return response
