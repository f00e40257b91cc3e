"""Sign-in throttling behind a proxy, and against password spraying (hsassess/signin.py)."""

import pytest
from django.test import Client, RequestFactory

from hsassess.signin import client_ip
from tests.factories import PASSWORD, UserFactory

PROXY = "10.0.0.2"  # the TLS proxy in front of gunicorn: every request comes from it
ATTACKER = "203.0.113.7"
VICTIM = "198.51.100.9"
LOGIN = "/accounts/login/"


def sign_in(username, password, *, client_address, forwarded_for=None, proxy=PROXY):
    """A sign-in as it reaches the app through the proxy, which appends the address it
    was connected from to whatever X-Forwarded-For the client sent."""
    chain = ", ".join(filter(None, [forwarded_for, client_address]))
    return Client().post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=chain,
    )


@pytest.fixture
def behind_one_proxy(settings):
    settings.PROXY_COUNT = 1


# --- the client's address ------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "remote", "header", "expected"),
    [
        # Without proxies the header is anyone's to write: ignored.
        (0, "203.0.113.7", "198.51.100.9", "203.0.113.7"),
        (0, "203.0.113.7", None, "203.0.113.7"),
        # One proxy: the entry it appended, the right-most.
        (1, PROXY, "203.0.113.7", "203.0.113.7"),
        (1, PROXY, "198.51.100.9, 203.0.113.7", "203.0.113.7"),
        (1, PROXY, "2001:db8::7", "2001:db8::7"),
        # Two proxies (a CDN, then ours): the second from the right.
        (2, PROXY, "1.2.3.4, 203.0.113.7, 192.0.2.50", "203.0.113.7"),
        # A request that did not pass the proxies, or a header that says nothing usable:
        # the connecting address, which no client can choose.
        (1, PROXY, None, PROXY),
        (1, PROXY, "not-an-address", PROXY),
        (2, PROXY, "203.0.113.7", PROXY),
    ],
)
def test_the_client_address_is_counted_from_the_trusted_proxies(
    settings, proxies, remote, header, expected
):
    settings.PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": remote}
    if header is not None:
        meta["HTTP_X_FORWARDED_FOR"] = header

    assert client_ip(RequestFactory().get("/", **meta)) == expected


# --- a lockout holds the client, not the proxy -----------------------------------------


def test_behind_a_proxy_a_lockout_holds_only_the_client_that_caused_it(
    db, settings, behind_one_proxy
):
    UserFactory(username="lena")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("lena", "wrong", client_address=ATTACKER)

    # The attacker is locked out, even with the right password ...
    assert sign_in("lena", PASSWORD, client_address=ATTACKER).status_code == 429
    # ... and lena, through the same proxy from her own address, is not.
    response = sign_in("lena", PASSWORD, client_address=VICTIM)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_forged_forwarded_for_entry_does_not_move_the_lockout_onto_someone_else(
    db, settings, behind_one_proxy
):
    UserFactory(username="lena")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        # The attacker writes lena's address first; the proxy appends the real one.
        sign_in("lena", "wrong", client_address=ATTACKER, forwarded_for=VICTIM)

    assert sign_in("lena", PASSWORD, client_address=VICTIM).status_code == 302
    assert sign_in("lena", PASSWORD, client_address=ATTACKER).status_code == 429


# --- password spraying ---------------------------------------------------------------


def test_spraying_many_usernames_from_one_address_locks_that_address(
    db, settings, behind_one_proxy
):
    names = [f"person{i}" for i in range(30)]
    for name in names:
        UserFactory(username=name)

    statuses = [sign_in(name, "Summer2025!", client_address=ATTACKER).status_code for name in names]

    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert limit < len(names)
    # Each username got one wrong password only, yet the address is locked at the limit.
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit - 1 :]) == {429}
    locked = sign_in(names[0], PASSWORD, client_address=ATTACKER)
    assert locked.status_code == 429
    assert "many wrong passwords for several accounts" in locked.content.decode()
    # People elsewhere sign in to the sprayed accounts as usual.
    assert sign_in(names[0], PASSWORD, client_address=VICTIM).status_code == 302


def test_a_few_typos_by_several_people_sharing_an_address_lock_nobody(
    db, settings, behind_one_proxy
):
    office = "192.0.2.80"
    people = [UserFactory(username=f"staff{i}").username for i in range(6)]
    for name in people:
        for _ in range(settings.AXES_FAILURE_LIMIT - 2):
            assert sign_in(name, "typo", client_address=office).status_code == 200

    for name in people:
        assert sign_in(name, PASSWORD, client_address=office).status_code == 302


def test_signing_in_to_one_account_does_not_clear_the_address_count(db, settings, behind_one_proxy):
    mine = UserFactory(username="mine").username
    names = [UserFactory(username=f"other{i}").username for i in range(30)]
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    for name in names[: limit - 1]:
        sign_in(name, "guess", client_address=ATTACKER)

    # A valid sign-in in between (the sprayer's own account) resets only that account.
    assert sign_in(mine, PASSWORD, client_address=ATTACKER).status_code == 302
    assert sign_in(names[limit], "guess", client_address=ATTACKER).status_code == 429
