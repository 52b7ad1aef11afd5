"""Test settings: the real settings with a throwaway data directory and a test-only key.

``DATABASE_URL`` still selects the database, so the same suite runs on SQLite and PostgreSQL.
Each pytest-xdist worker gets its own data directory (import runs keep files there by id,
and every worker's test database starts its ids at 1).
"""

import os
import tempfile
from pathlib import Path

_base = os.environ.get("PADU_TEST_DATA_DIR") or os.environ.get("PADU_DATA_DIR")
if not _base:
    _base = tempfile.mkdtemp(prefix="padu-test-")
    os.environ["PADU_TEST_DATA_DIR"] = _base  # shared by the workers, who add their own name
os.environ["PADU_DATA_DIR"] = str(Path(_base) / os.environ.get("PYTEST_XDIST_WORKER", "utama"))
os.environ.setdefault("SECRET_KEY", "test-only-key-never-used-outside-the-test-suite")

from padu.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
