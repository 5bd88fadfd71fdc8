"""No known credentials when others can reach the server: `scripts/serve` runs the serving check
before it binds, and the check refuses the built-in SECRET_KEY and published passwords unless
HOST is a loopback address."""

import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from gitforge.accounts.models import User

# What scripts/serve runs before it starts gunicorn.
SERVING_CHECK = ["manage.py", "check", "--deploy", "--tag", "serving", "--database", "default"]
STRONG_KEY = "k3J9-vQ2xN8pL5sR1tY7wZ4mB6cD0eF2gH8jK1lM3nP5qR7sT9uV"


def run_manage(*args, **env):
    """Run manage.py as scripts/serve does, without SECRET_KEY unless given, on the test DB."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("another process cannot open an in-memory test database")
    environment = {
        key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "HOST")
    }
    environment |= {"GITFORGE_DATABASE_NAME": str(connection.settings_dict["NAME"]), **env}
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def serving_check():
    """The check's errors, by id, with settings overridden in this process."""
    try:
        call_command(*SERVING_CHECK[1:], stdout=StringIO(), stderr=StringIO())
    except SystemCheckError as error:
        return sorted(set(re.findall(r"\(gitforge\.E\d+\)", str(error))))
    return []


@pytest.mark.django_db
def test_the_built_in_secret_key_is_flagged_by_check_deploy():
    result = run_manage("manage.py", "check", "--deploy")
    assert "security.W009" in result.stderr


@pytest.mark.django_db
def test_serving_on_a_public_address_with_the_built_in_secret_key_is_refused():
    result = run_manage(*SERVING_CHECK, HOST="0.0.0.0")
    assert result.returncode != 0
    assert "gitforge.E001" in result.stderr
    assert "SECRET_KEY is unset or insecure, and HOST=0.0.0.0" in result.stderr


@pytest.mark.django_db
def test_serving_on_loopback_with_the_built_in_secret_key_is_fine():
    result = run_manage(*SERVING_CHECK, HOST="127.0.0.1")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_serving_on_a_public_address_with_a_strong_secret_key_passes():
    result = run_manage(*SERVING_CHECK, HOST="0.0.0.0", SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"])
def test_loopback_hosts_accept_the_built_in_key(settings, host, db):
    settings.GITFORGE_SERVE_HOST = host
    settings.SECRET_KEY = "django-insecure-gitforge-local-key-set-SECRET_KEY"
    assert serving_check() == []


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "gitforge.example.com"])
@pytest.mark.parametrize(
    "key", ["django-insecure-" + STRONG_KEY, "short-key", "a" * 60, "abab" * 20]
)
def test_public_hosts_refuse_weak_secret_keys(settings, host, key, db):
    settings.GITFORGE_SERVE_HOST = host
    settings.SECRET_KEY = key
    assert serving_check() == ["(gitforge.E001)"]


def test_a_published_demo_password_is_refused_on_a_public_address(settings, db):
    settings.GITFORGE_SERVE_HOST = "0.0.0.0"
    settings.SECRET_KEY = STRONG_KEY
    User.objects.create_superuser("demo", "demo@example.com", "gitforge-demo")
    assert serving_check() == ["(gitforge.E002)"]

    settings.GITFORGE_SERVE_HOST = "127.0.0.1"
    assert serving_check() == []


def test_a_staff_account_whose_password_is_its_name_is_refused(settings, db):
    settings.GITFORGE_SERVE_HOST = "0.0.0.0"
    settings.SECRET_KEY = STRONG_KEY
    User.objects.create_superuser("admin", "admin@example.com", "admin")
    assert serving_check() == ["(gitforge.E002)"]


def test_the_seeded_demo_passes_on_a_public_address(settings, db):
    settings.GITFORGE_SERVE_HOST = "0.0.0.0"
    settings.SECRET_KEY = STRONG_KEY
    User.objects.create_user("alice", "alice@example.com", "alice")  # not staff: not checked
    call_command("seeddemo", stdout=StringIO())
    assert serving_check() == []
