"""Session idle timeout without a database write on every request."""

import time

from django.conf import settings

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


# Scripts only from our own origin, no inline script; the admin and crispy forms still
# use inline style attributes, so styles allow them.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy header on every response (Django 5.2 has none)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
