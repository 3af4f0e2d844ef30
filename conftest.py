"""Test-run defaults. Settings come only from the environment; these are the few a test run
needs when the caller has not set them, so a plain `pytest` works as well as `make test`.
The settings module is named here rather than in pyproject.toml because pytest-django would
import it before this file could set the environment."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("HUEY_IMMEDIATE", "1")
os.environ.setdefault("MUSTAFID_VAR_DIR", tempfile.mkdtemp(prefix="mustafid-test-"))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mustafid.settings")

import django

django.setup()

pytest_plugins = [
    "tests_support.fixtures",
    "tests_support.portal",
    "tests_support.surveys",
    "tests_support.notify",
    "tests_support.outreach",
    "tests_support.reports",
]
