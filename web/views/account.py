"""The signed-in user's token settings, and generated avatars."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.views.decorators.http import require_POST

from gitforge.accounts.models import PersonalAccessToken
from gitforge.accounts.services import (
    create_personal_access_token,
    revoke_personal_access_token,
)
from web.forms import TokenForm


@login_required
def token_list(request):
    """List, and create, the signed-in user's personal access tokens; a new secret shows once."""
    new_secret = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, new_secret = create_personal_access_token(
            user=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_in_days=form.cleaned_data["expires_in_days"],
        )
        form = TokenForm()
    tokens = PersonalAccessToken.objects.filter(user=request.user, revoked_at__isnull=True)
    response = render(
        request,
        "web/tokens.html",
        {"form": form, "tokens": tokens, "new_secret": new_secret},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke_token(request, token_id):
    token = get_object_or_404(PersonalAccessToken, pk=token_id, user=request.user)
    revoke_personal_access_token(token=token)
    messages.success(request, f"Token “{token.name}” was revoked.")
    return redirect("tokens")


AVATAR_COLOURS = ("#0969da", "#1a7f37", "#8250df", "#bf3989", "#9a6700", "#cf222e", "#0550ae")


def avatar(request, username):
    """A generated avatar: the user's initial on a colour derived from the name."""
    digest = hashlib.sha256(username.lower().encode()).digest()
    colour = AVATAR_COLOURS[digest[0] % len(AVATAR_COLOURS)]
    initial = escape(username[:1].upper() or "?")
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="32" fill="{colour}"/>'
        '<text x="32" y="42" font-family="sans-serif" font-size="30" fill="#fff" '
        f'text-anchor="middle">{initial}</text></svg>'
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
