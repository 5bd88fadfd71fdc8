"""Page forms."""

from django import forms

from gitforge.accounts.scopes import SCOPES

EXPIRY_CHOICES = [("7", "7 days"), ("30", "30 days"), ("90", "90 days"), ("", "No expiration")]


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What is this token for?")
    scopes = forms.MultipleChoiceField(
        choices=[(scope, f"{scope} — {label}") for scope, label in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    expires_in_days = forms.TypedChoiceField(
        choices=EXPIRY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        initial="30",
        label="Expiration",
    )
