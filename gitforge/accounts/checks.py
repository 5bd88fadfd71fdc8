"""`manage.py check --deploy --tag serving --database default`: what `scripts/serve` runs before
it binds anything but a loopback address (HOST). A server others can reach must not sign
sessions with a key anyone can read in the source, nor keep accounts with published passwords.
"""

from django.conf import settings
from django.core.checks import Error, register
from django.db.models import Q

from gitforge.accounts.credentials import (
    has_published_password,
    is_insecure_secret_key,
    is_loopback,
)
from gitforge.accounts.models import User

SERVING = "serving"


@register(SERVING, deploy=True)
def check_public_credentials(app_configs=None, databases=None, **kwargs):
    host = settings.GITFORGE_SERVE_HOST
    if is_loopback(host):
        return []
    errors = []
    if is_insecure_secret_key(settings.SECRET_KEY):
        errors.append(
            Error(
                f"SECRET_KEY is unset or insecure, and HOST={host} is not a loopback address.",
                hint=(
                    "Set SECRET_KEY to a long random value, e.g. the output of "
                    "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
                ),
                id="gitforge.E001",
            )
        )
    if databases and "default" in databases:
        errors.extend(_published_password_errors(host))
    return errors


def _published_password_errors(host):
    """The demo account and every staff account: the ones a published password would open."""
    accounts = User.objects.filter(
        Q(username__iexact="demo") | Q(is_staff=True) | Q(is_superuser=True), is_active=True
    ).order_by("username")
    return [
        Error(
            f"The account {user.username!r} has a published password, and HOST={host} is not a "
            "loopback address.",
            hint=f"Set another with `python manage.py changepassword {user.username}`.",
            obj=user,
            id="gitforge.E002",
        )
        for user in accounts
        if has_published_password(user)
    ]
