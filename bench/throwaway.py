"""Django on a throwaway SQLite database, for a benchmark run as a script: import this
module before anything of Django's (`python bench/<name>.py` puts bench/ on the path)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.mkdtemp(prefix="hsassess-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsassess.settings")
os.environ.setdefault("DEBUG", "1")
django.setup()
