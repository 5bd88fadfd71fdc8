"""The JSON body of an event: its own fields inside GitHub's envelope (action, repository,
sender), with links built from GITFORGE_EXTERNAL_URL."""

import json
from collections.abc import Callable

from django.conf import settings

from gitforge.accounts.representations import user_json
from gitforge.api.representations import ExternalSite
from gitforge.repositories.representations import repository_json

PayloadBuilder = Callable[[ExternalSite], dict]


def site() -> ExternalSite:
    return ExternalSite(settings.GITFORGE_EXTERNAL_URL)


def event_body(repository, build: PayloadBuilder, sender, action=None) -> str:
    """`build(site)` returns the event's own fields; `action`, `repository` and `sender` are
    added around them as GitHub orders them."""
    here = site()
    payload = {"action": action} if action else {}
    payload.update(build(here))
    payload.setdefault("repository", repository_json(repository, here))
    payload["sender"] = user_json(sender, here)
    return json.dumps(payload, separators=(",", ":"))
