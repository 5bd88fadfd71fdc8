"""The sign-in forms of the pages and the admin, with failed attempts limited."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from gitforge.accounts.sign_in_limits import (
    TOO_MANY_ATTEMPTS,
    record_failed_sign_in,
    refusal_message,
    sign_in_wait,
)


class SignInForm(AuthenticationForm):
    """Refuses without checking the password once the account or the address is over its
    limit of failed attempts (`retry_after` then holds the seconds to wait), and counts each
    failure."""

    retry_after = 0

    def clean(self):
        request, username = self.request, self.data.get("username", "")
        if request is None:
            return super().clean()
        self.retry_after = sign_in_wait(request, username)
        if self.retry_after:
            raise ValidationError(refusal_message(self.retry_after), code=TOO_MANY_ATTEMPTS)
        try:
            return super().clean()
        except ValidationError:
            record_failed_sign_in(request, username)
            raise


class AdminSignInForm(SignInForm, AdminAuthenticationForm):
    """The admin's sign-in form (staff only), limited as the pages' one."""
