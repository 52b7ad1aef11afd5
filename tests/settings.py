"""Test settings: the real settings with a throwaway data directory and a test-only key.

``DATABASE_URL`` still selects the database, so the same suite runs on SQLite and PostgreSQL.
"""

import os
import tempfile

os.environ.setdefault("PADU_DATA_DIR", tempfile.mkdtemp(prefix="padu-test-"))
os.environ.setdefault("SECRET_KEY", "test-only-key-never-used-outside-the-test-suite")

from padu.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
