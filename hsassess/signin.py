"""Sign-in throttling: whose address a request comes from, and how many wrong passwords
it may send.

django-axes counts failed sign-ins. It is given two things here:

- `client_ip`, the client's address behind `PROXY_COUNT` trusted proxies, so that a
  lockout holds one client and not the proxy that every client shares;
- `AddressThrottlingHandler`, a second, higher limit per address across all usernames,
  against password spraying (a few passwords tried on many accounts, each staying under
  the per-account limit).
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from ipware import get_client_ip


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client, as the outermost of the trusted proxies saw it.

    Each proxy appends the address it received the request from to X-Forwarded-For and
    connects to the next, so with N proxies in front REMOTE_ADDR is the nearest proxy and
    the client is the N-th entry from the right of the header. Entries further left were
    written by the client itself and prove nothing; python-ipware counts them off from
    the right. python-ipware's `proxy_count` counts the hops *after* the client inside
    the header, which leaves out the nearest proxy (it is REMOTE_ADDR): hence N - 1.

    A request that did not pass all N proxies (a shorter header, or none) is keyed on
    REMOTE_ADDR, the one address a client cannot choose. With no proxies configured the
    header is ignored: anyone may send one.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.PROXY_COUNT
    if proxies <= 0:
        return remote
    address, _routable = get_client_ip(
        request,
        proxy_count=proxies - 1,
        request_header_order=("HTTP_X_FORWARDED_FOR",),
        # Not strict: a header longer than N entries is a client that wrote its own
        # first, not a misconfiguration; its entries on the left are ignored.
        strict=False,
    )
    return address or remote


class AddressThrottlingHandler(AxesDatabaseHandler):
    """Axes' database handler, with all failures from one address counted as well.

    Axes locks a username at an address after AXES_FAILURE_LIMIT failures. Here an
    address is also locked, for every username, once its failures within the cool-off
    add up to AXES_ADDRESS_FAILURE_LIMIT. That limit is higher than the per-account one
    because several people can share one address (an office behind NAT) and each may
    mistype. A successful sign-in clears only that account's failures, so a sprayer with
    one valid account cannot reset the address's count.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures >= limit:
            return failures
        if self.address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            # Axes compares one number with one limit: report the address's lock as the
            # account's limit reached. The lockout page reads the flag to say which.
            request.signin_address_locked = True
            return limit
        return failures

    def address_failures(self, request: HttpRequest) -> int:
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
