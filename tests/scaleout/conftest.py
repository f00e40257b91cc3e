"""App servers for the scale-out tests: gunicorn instances with production settings on
127.0.0.1, sharing the test's PostgreSQL database and a Redis cache.

They need PostgreSQL (DATABASE_URL) and a Redis server (HSASSESS_TEST_REDIS_URL, by
default redis://127.0.0.1:6379/6). Without them the tests are skipped, unless
HSASSESS_REQUIRE_SERVICES=1 (the CI's PostgreSQL run sets it), where a skip would hide a
broken setup: then they fail. Each run keeps its cache keys under a prefix of its own and
deletes them afterwards; it never empties the Redis database.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
REDIS_URL = os.environ.get("HSASSESS_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
GUNICORN = Path(sys.executable).parent / "gunicorn"


def _missing() -> list[str]:
    missing = []
    if connection.vendor != "postgresql":
        missing.append("DATABASE_URL does not name a PostgreSQL database")
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:
        missing.append(f"Redis at {REDIS_URL} does not answer ({exc.__class__.__name__})")
    if not GUNICORN.exists():
        missing.append(f"{GUNICORN} is missing")
    return missing


@pytest.fixture
def services():
    """Skip (or, with HSASSESS_REQUIRE_SERVICES=1, fail) without PostgreSQL and Redis."""
    missing = _missing()
    if not missing:
        return
    message = "; ".join(missing)
    if os.environ.get("HSASSESS_REQUIRE_SERVICES") == "1":
        pytest.fail(f"HSASSESS_REQUIRE_SERVICES=1 but {message}.", pytrace=False)
    pytest.skip(f"{message}; set HSASSESS_REQUIRE_SERVICES=1 to make this a failure.")


@dataclass
class Browser:
    """One person's cookies, sent to whichever server they talk to: what a browser does
    behind a load balancer that spreads its requests across app servers."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, server: AppServer, method: str, path: str, data: dict | None = None):
        origin = f"https://{HOST}:{server.port}"
        headers = {
            # The TLS proxy's header: the request counts as secure, as in production.
            "X-Forwarded-Proto": "https",
            "Origin": origin,
            "Referer": origin + "/",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = HTTPConnection(HOST, server.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read().decode("utf-8", errors="replace")
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, content

    def get(self, server: AppServer, path: str):
        return self.request(server, "GET", path)

    def post(self, server: AppServer, path: str, data: dict):
        return self.request(
            server, "POST", path, {"csrfmiddlewaretoken": self.cookies["csrftoken"], **data}
        )

    def sign_in(self, server: AppServer, username: str, password: str) -> None:
        status, _, page = self.get(server, "/accounts/login/")
        assert status == 200, server.log_tail()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, headers, _ = self.request(
            server,
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        assert status == 302, server.log_tail()
        assert headers["Location"] == "/", headers["Location"]


@dataclass
class AppServer:
    name: str
    process: subprocess.Popen
    port: int
    log: Path

    def log_tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.name} log ---\n" + "\n".join(text.splitlines()[-lines:])


def _database_url() -> str:
    """The test database (test_<name>), which exists while the tests run."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or HOST}:{db['PORT'] or 5432}/{db['NAME']}"


def _start(name: str, env: dict, tmp: Path) -> AppServer:
    """gunicorn on a socket bound here (no race for a free port), one sync worker."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((HOST, 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    log = tmp / f"{name}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [
                str(GUNICORN),
                "hsassess.wsgi",
                "--bind",
                f"fd://{listener.fileno()}",
                "--workers",
                "1",
                "--error-logfile",
                "-",
                "--log-level",
                "warning",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            pass_fds=(listener.fileno(),),
            start_new_session=True,  # its own process group, stopped as one
        )
    listener.close()
    return AppServer(name, process, port, log)


def _wait_ready(server: AppServer, deadline: float) -> None:
    while time.monotonic() < deadline:
        assert server.process.poll() is None, f"{server.name} exited\n{server.log_tail()}"
        conn = HTTPConnection(HOST, server.port, timeout=5)
        try:
            conn.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.1)
    pytest.fail(f"{server.name} did not answer in time\n{server.log_tail()}", pytrace=False)


def _stop(server: AppServer) -> None:
    if server.process.poll() is not None:
        return
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=5)


@pytest.fixture
def app_servers(services, transactional_db, tmp_path):
    """Two app servers, A and B, on one database (the test's, whose rows they see because
    the test commits: transactional_db) and one Redis cache. Yields (A, B, cache prefix)."""
    prefix = f"hsassess-test-{secrets.token_hex(4)}"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "tests.scaleout.settings",
        "PYTHONPATH": str(ROOT),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "BRIEF_SIGNING_KEYS": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": HOST,
        # Plain HTTP on the loopback; requests carry X-Forwarded-Proto as the proxy's would.
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": _database_url(),
        # Close the connection after each request: none is left open when the test's
        # database is emptied and dropped.
        "DB_CONN_MAX_AGE": "0",
        "CACHE_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "HSASSESS_TEST_STATIC_ROOT": str(tmp_path / "static"),
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    servers = []
    try:
        servers = [_start("A", env, tmp_path), _start("B", env, tmp_path)]
        deadline = time.monotonic() + 60
        for server in servers:
            _wait_ready(server, deadline)
        yield (*servers, prefix)
    finally:
        for server in servers:
            _stop(server)
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
