"""Settings of the app servers the scale-out test starts: the production settings, from
the environment as in a deployment, except where the static files are collected (a
throwaway directory) and that they are hashed but not compressed (the test fetches
pages, never assets; compressing every file would take most of a minute)."""

import os

from hsassess.settings import *  # noqa: F403

STATIC_ROOT = os.environ["HSASSESS_TEST_STATIC_ROOT"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
