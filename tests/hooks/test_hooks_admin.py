"""Hooks in the admin: saved through the services (address policy, ping), secrets write-only."""

import html

from hooks.models import Delivery, Hook

SECRET = "admin-typed-secret"


def hook_form(repository, url, *, secret="", events="push, status", active=True):
    data = {
        "repository": repository.pk,
        "url": url,
        "content_type": "json",
        "secret": secret,
        "events": events,
    }
    if active:
        data["active"] = "on"
    return data


def test_adding_a_hook_stores_it_and_sends_a_ping(operator, public_repo, receiver, deliver):
    response = operator.post(
        "/admin/hooks/hook/add/", hook_form(public_repo, receiver.url, secret=SECRET)
    )

    assert response.status_code == 302
    hook = Hook.objects.get()
    assert (hook.url, hook.secret, hook.events, hook.active) == (
        receiver.url,
        SECRET,
        ["push", "status"],
        True,
    )
    public_repo.refresh_from_db()
    assert public_repo.hook_events == ["push", "status"]
    deliver()
    assert receiver.wait_for(1)[0].header("X-GitHub-Event") == "ping"


def test_the_secret_is_never_shown_and_an_empty_field_keeps_it(operator, public_repo, receiver):
    operator.post("/admin/hooks/hook/add/", hook_form(public_repo, receiver.url, secret=SECRET))
    hook = Hook.objects.get()

    page = operator.get(f"/admin/hooks/hook/{hook.pk}/change/").content.decode()
    assert SECRET not in page

    response = operator.post(
        f"/admin/hooks/hook/{hook.pk}/change/",
        hook_form(public_repo, receiver.url, events="*", active=False),
    )
    assert response.status_code == 302
    hook.refresh_from_db()
    assert (hook.secret, hook.events, hook.active) == (SECRET, ["*"], False)
    public_repo.refresh_from_db()
    assert public_repo.hook_events == []


def test_a_refused_address_is_a_form_error_and_nothing_is_saved(operator, public_repo):
    response = operator.post(
        "/admin/hooks/hook/add/", hook_form(public_repo, "http://169.254.169.254/latest")
    )

    assert response.status_code == 200
    assert "URL is not allowed" in html.unescape(response.content.decode())
    assert not Hook.objects.exists()
    assert not Delivery.objects.exists()


def test_deliveries_are_listed_read_only(operator, public_repo, receiver, make_hook):
    hook = make_hook(receiver.url, keep_ping=True)
    delivery = Delivery.objects.get(hook=hook)

    listing = operator.get("/admin/hooks/delivery/")
    detail = operator.get(f"/admin/hooks/delivery/{delivery.pk}/change/")
    refused = operator.post(f"/admin/hooks/delivery/{delivery.pk}/change/", {"state": "failed"})

    assert listing.status_code == 200 and str(delivery.guid) in listing.content.decode()
    assert detail.status_code == 200
    assert refused.status_code == 403
    delivery.refresh_from_db()
    assert delivery.state == Delivery.PENDING
