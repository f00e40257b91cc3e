"""Settings for bench/load: the production settings plus a trivial view to compare with.

Everything else (DEBUG, the database, the secret, transport security) still comes from
the environment exactly as for a real deployment; only the URL configuration gains
/bench/trivial/, and the static files are collected (hashed, not compressed) into a
throwaway directory.
"""

import os

from hsassess.settings import *  # noqa: F403
from hsassess.settings import STATIC_ROOT as _STATIC_ROOT

ROOT_URLCONF = "bench.loadurls"
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT") or _STATIC_ROOT

# The same hashed names and manifest as production, without compressing every file with
# gzip and Brotli (most of a minute here): the load fetches pages, never static files.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
