"""A repository's webhook settings pages: the hook list, adding, editing and deleting a hook,
and its recent deliveries with redelivery. Only the repository's admins reach them."""

import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gitforge.repositories.services import set_collaborator
from hooks.models import Attempt, Delivery, Event, Hook
from hooks.services import HookConfig, create_hook
from pulls.services import open_pull_request
from tests.helpers import csrf_token_of, get_page, make_repository, signed_in, text_of
from tests.hooks.worker import run_ready_tasks

SECRET = "It's a Secret to Everybody"
URL = "http://127.0.0.1:9/payload"
LIST = "/alice/project/settings/hooks"
NEW = f"{LIST}/new"


@pytest.fixture(autouse=True)
def loopback_hooks(settings):
    """Hooks here point at 127.0.0.1, which the default policy refuses."""
    settings.GITFORGE_WEBHOOK_ALLOWED_HOSTS = "loopback"
    settings.GITFORGE_EXTERNAL_URL = "http://gitforge.test"


@pytest.fixture
def hook(alice, public_repo):
    """alice/project's hook for every event, with a secret; its ping is queued."""
    return create_hook(
        repository=public_repo,
        user=alice,
        config=HookConfig(url=URL, content_type="json", secret=SECRET),
        events_=["*"],
    )


@pytest.fixture
def admin(alice):
    return signed_in(alice)


def edit_page(hook):
    return f"{LIST}/{hook.pk}"


def form_fields(**overrides):
    fields = {
        "url": URL,
        "content_type": "json",
        "secret": SECRET,
        "event_scope": "push",
        "active": "on",
    }
    fields.update(overrides)
    return {name: value for name, value in fields.items() if value is not None}


def stored(hook_id):
    hook = Hook.objects.get(pk=hook_id)
    return (hook.url, hook.content_type, hook.secret, hook.insecure_ssl, hook.events, hook.active)


def crafted_delivery(hook, *, title="<script>alert(1)</script>", attempted=True):
    """A delivery of a pull_request.opened event whose payload and response hold markup."""
    event = Event.objects.create(
        repository=hook.repository,
        name="pull_request",
        action="opened",
        body=json.dumps({"action": "opened", "pull_request": {"title": title}}),
    )
    delivery = Delivery.objects.create(
        hook=hook, event=event, content_type="json", next_attempt_at=timezone.now()
    )
    if attempted:
        Attempt.objects.create(
            delivery=delivery,
            number=1,
            started_at=timezone.now(),
            duration=0.25,
            request_headers={"X-GitHub-Event": "pull_request", "X-Probe": "<i>sent</i>"},
            status_code=500,
            response_headers={"X-Answer": "<b>bold</b>"},
            response_body="<script>evil()</script>",
        )
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=1, status_code=500, status="Invalid HTTP Response: 500", state="failed"
        )
    return delivery


def delivery_block(page, delivery):
    match = re.search(
        rf'<details class="file delivery" data-guid="{delivery.guid}">.*?</details>',
        page,
        re.DOTALL,
    )
    assert match, f"no delivery {delivery.guid} on the page"
    return match.group(0)


# Who may see the settings --------------------------------------------------------------------


def test_admin_sees_an_empty_list_with_an_add_link(public_repo, admin):
    page = get_page(admin, LIST)

    assert "This repository has no webhooks yet." in text_of(page)
    assert f'<a class="button" href="{NEW}">Add webhook</a>' in page


def test_list_shows_url_events_state_and_last_response(public_repo, hook, admin):
    Hook.objects.filter(pk=hook.pk).update(last_status="failed", last_status_code=502)
    create_hook(
        repository=public_repo,
        user=public_repo.owner,
        config=HookConfig(url="http://127.0.0.1:9/other"),
        events_=["push", "status"],
        active=False,
    )

    page = get_page(admin, LIST)

    rows = [text_of(row) for row in re.findall(r"<tr>.*?</tr>", page, re.DOTALL)[1:]]
    assert rows == [
        f"{URL} * Active failed (502)",
        "http://127.0.0.1:9/other push, status Inactive unused",
    ]
    assert f'<a href="{edit_page(hook)}">{URL}</a>' in page


def test_admin_sees_the_new_form(public_repo, admin):
    page = get_page(admin, NEW)

    assert 'name="url"' in page
    assert '<option value="json" selected>application/json</option>' in page
    assert '<option value="form">application/x-www-form-urlencoded</option>' in page
    assert '<input type="password" name="secret"' in page
    assert 'name="insecure_ssl"' in page
    text = text_of(page)
    for choice in ("Just the push event", "Send me everything", "Let me select"):
        assert choice in text
    for event in ("push", "pull_request", "status", "create", "delete"):
        assert f'type="checkbox" name="events" value="{event}"' in page
    assert re.search(r'type="checkbox" name="active"[^>]*checked', page)


@pytest.mark.parametrize("level", ["push", "maintain"])
def test_collaborators_below_admin_get_404(public_repo, hook, bob, level):
    set_collaborator(repository=public_repo, user=bob, permission=level)
    client = signed_in(bob)

    for path in (LIST, NEW, edit_page(hook)):
        assert client.get(path).status_code == 404, path


def test_strangers_get_404_even_on_a_public_repository(public_repo, hook, charlie):
    client = signed_in(charlie)

    for path in (LIST, NEW, edit_page(hook)):
        assert client.get(path).status_code == 404, path


def test_a_private_repository_is_404_for_its_readers(private_repo, bob):
    assert signed_in(bob).get("/alice/secret/settings/hooks").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(public_repo, hook, anonymous):
    response = anonymous.get(LIST)

    assert response.status_code == 302
    assert response["Location"] == f"/login?next={LIST}"
    assert anonymous.post(f"{edit_page(hook)}/delete").status_code == 302
    assert Hook.objects.filter(pk=hook.pk).exists()


@pytest.mark.parametrize("who", ["push collaborator", "stranger"])
def test_posts_by_non_admins_are_404_and_change_nothing(public_repo, hook, bob, charlie, who):
    if who == "push collaborator":
        set_collaborator(repository=public_repo, user=bob, permission="push")
    client = signed_in(bob if who == "push collaborator" else charlie)
    delivery = Delivery.objects.get(hook=hook)
    before = stored(hook.pk)

    posts = [
        (NEW, form_fields(url="http://127.0.0.1:9/new")),
        (edit_page(hook), form_fields(url="http://127.0.0.1:9/changed", secret="new")),
        (f"{edit_page(hook)}/delete", {}),
        (f"{edit_page(hook)}/deliveries/{delivery.pk}/redeliver", {}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == 404, path

    assert stored(hook.pk) == before
    assert Hook.objects.count() == 1
    assert Delivery.objects.count() == 1


def test_another_repositorys_hook_is_404(alice, public_repo, hook, admin):
    make_repository(alice, "other")

    assert admin.get(f"/alice/other/settings/hooks/{hook.pk}").status_code == 404
    assert admin.post(f"/alice/other/settings/hooks/{hook.pk}/delete").status_code == 404
    assert Hook.objects.filter(pk=hook.pk).exists()


# The Settings link on the repository page ----------------------------------------------------


def test_repository_page_links_settings_for_admins_only(public_repo, alice, bob, anonymous):
    set_collaborator(repository=public_repo, user=bob, permission="push")
    link = f'<a href="{LIST}">Settings</a>'

    assert link in get_page(signed_in(alice), "/alice/project")
    assert link not in get_page(signed_in(bob), "/alice/project")
    assert link not in get_page(anonymous, "/alice/project")


# Adding a hook -------------------------------------------------------------------------------


def test_creating_through_the_form_stores_the_hook_and_queues_a_ping(public_repo, admin):
    response = admin.post(
        NEW,
        form_fields(
            content_type="form",
            insecure_ssl="on",
            event_scope="selected",
            events=["pull_request", "status"],
        ),
        follow=True,
    )

    assert response.redirect_chain == [(LIST, 302)]
    assert "Webhook added. We sent it a ping event to test it." in text_of(
        response.content.decode()
    )
    hook = Hook.objects.get()
    assert stored(hook.pk) == (URL, "form", SECRET, True, ["pull_request", "status"], True)
    delivery = Delivery.objects.get()
    assert (delivery.hook, delivery.event.name, delivery.state) == (hook, "ping", "pending")


@pytest.mark.parametrize(
    ("scope", "events"), [("push", ["push"]), ("everything", ["*"]), ("selected", [])]
)
def test_event_choices_map_to_events(public_repo, admin, scope, events):
    admin.post(NEW, form_fields(event_scope=scope))

    assert Hook.objects.get().events == events


def test_an_inactive_hook_can_be_added(public_repo, admin):
    admin.post(NEW, form_fields(active=None))

    assert Hook.objects.get().active is False


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://169.254.169.254/",
            "URL is not allowed: 169.254.169.254 resolves to 169.254.169.254, "
            "which webhooks may not reach",
        ),
        ("ftp://example.com/", "url is invalid"),
    ],
)
def test_a_refused_url_rerenders_the_form_and_creates_nothing(public_repo, admin, url, message):
    response = admin.post(NEW, form_fields(url=url, content_type="form"))

    assert response.status_code == 422
    page = response.content.decode()
    assert message in text_of(page)
    assert f'value="{url}"' in page, "the input is kept"
    assert '<option value="form" selected>' in page
    assert SECRET not in page and "Secret to Everybody" not in page
    assert not Hook.objects.exists()
    assert not Delivery.objects.exists()


def test_a_url_the_repository_already_has_is_refused(public_repo, hook, admin):
    response = admin.post(NEW, form_fields())

    assert response.status_code == 422
    assert "Hook already exists on this repository" in text_of(response.content.decode())
    assert Hook.objects.count() == 1


def test_a_missing_url_is_a_form_error(public_repo, admin):
    response = admin.post(NEW, form_fields(url=None))

    assert response.status_code == 422
    assert "This field is required." in text_of(response.content.decode())
    assert not Hook.objects.exists()


# Editing and deleting ------------------------------------------------------------------------


def test_edit_form_shows_the_current_settings_and_masks_the_secret(public_repo, hook, admin):
    page = get_page(admin, edit_page(hook))

    assert f'value="{URL}"' in page
    assert '<option value="json" selected>application/json</option>' in page
    assert re.search(r'value="everything"[^>]*checked', page)
    assert "A secret is set: ********" in text_of(page)
    assert "Leave empty to keep the current secret." in text_of(page)
    assert re.search(r'<input type="password" name="secret"[^>]*>', page)
    assert not re.search(r'name="secret"[^>]*value=', page)


def test_editing_with_an_empty_secret_keeps_it(public_repo, hook, admin):
    response = admin.post(
        edit_page(hook),
        form_fields(
            url="http://127.0.0.1:9/changed",
            secret="",
            event_scope="selected",
            events=["push", "delete"],
            active=None,
        ),
        follow=True,
    )

    assert response.redirect_chain == [(edit_page(hook), 302)]
    assert "Webhook updated." in text_of(response.content.decode())
    assert stored(hook.pk) == (
        "http://127.0.0.1:9/changed",
        "json",
        SECRET,
        False,
        ["push", "delete"],
        False,
    )


def test_editing_with_a_new_secret_changes_it(public_repo, hook, admin):
    admin.post(edit_page(hook), form_fields(secret="a new secret", event_scope="everything"))

    assert Hook.objects.get(pk=hook.pk).secret == "a new secret"


def test_events_set_through_the_api_are_kept_listed(public_repo, hook, admin):
    Hook.objects.filter(pk=hook.pk).update(events=["push", "issues"])

    page = get_page(admin, edit_page(hook))

    assert re.search(r'value="selected"[^>]*checked', page)
    assert re.search(r'type="checkbox" name="events" value="issues"[^>]*checked', page)
    admin.post(edit_page(hook), form_fields(event_scope="selected", events=["push", "issues"]))
    assert Hook.objects.get(pk=hook.pk).events == ["push", "issues"]


def test_a_refused_edit_rerenders_and_changes_nothing(public_repo, hook, admin):
    before = stored(hook.pk)

    response = admin.post(
        edit_page(hook), form_fields(url="http://169.254.169.254/", secret="other secret")
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "URL is not allowed" in text_of(page)
    assert "other secret" not in page and SECRET not in page
    assert stored(hook.pk) == before


def test_delete_removes_the_hook_and_its_deliveries(public_repo, hook, admin):
    page = get_page(admin, edit_page(hook))
    assert f'action="{edit_page(hook)}/delete"' in page

    response = admin.post(f"{edit_page(hook)}/delete", follow=True)

    assert response.redirect_chain == [(LIST, 302)]
    assert f"Webhook {URL} deleted." in text_of(response.content.decode())
    assert not Hook.objects.exists()
    assert not Delivery.objects.exists()


def test_the_secret_never_appears_in_a_page(public_repo, hook, admin):
    crafted_delivery(hook)
    pages = [get_page(admin, path) for path in (LIST, NEW, edit_page(hook))]
    pages.append(admin.post(edit_page(hook), form_fields(secret=""), follow=True).content.decode())
    pages.append(admin.post(NEW, form_fields()).content.decode())  # refused: same URL

    for page in pages:
        assert "Secret to Everybody" not in page
        assert "Secret to Everybody" not in text_of(page)


# Deliveries ----------------------------------------------------------------------------------


def test_deliveries_show_event_state_request_and_response_escaped(public_repo, hook, admin):
    delivery = crafted_delivery(hook)

    page = get_page(admin, edit_page(hook))

    block = delivery_block(page, delivery)
    summary = text_of(block[: block.index("</summary>")])
    assert f"{delivery.guid} pull_request.opened failed 500 Invalid HTTP Response: 500" in summary
    assert "1 attempt" in summary
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in block
    assert "<script>" not in page
    assert "X-Probe: &lt;i&gt;sent&lt;/i&gt;" in block
    assert "X-Answer: &lt;b&gt;bold&lt;/b&gt;" in block
    assert "&lt;script&gt;evil()&lt;/script&gt;" in block
    payload = re.search(r'<pre class="payload">(.*?)</pre>', block, re.DOTALL)
    assert payload
    shown = html.unescape(payload.group(1))
    assert json.loads(shown) == {
        "action": "opened",
        "pull_request": {"title": "<script>alert(1)</script>"},
    }
    assert '\n  "pull_request": {\n    "title": ' in shown, "pretty-printed"


def test_a_real_pull_request_event_is_listed_newest_first(alice, public_repo, hook, admin):
    ping = Delivery.objects.get(hook=hook)
    open_pull_request(
        repository=public_repo,
        author=alice,
        title="<script>alert('pr')</script>",
        head="feature",
        base="main",
    )
    run_ready_tasks("hooks.tasks.store_event")  # the worker writes down the recorded event
    opened = Delivery.objects.get(hook=hook, event__name="pull_request")

    page = get_page(admin, edit_page(hook))

    newest, oldest = delivery_block(page, opened), delivery_block(page, ping)
    assert page.index(newest) < page.index(oldest)
    assert "pull_request.opened pending" in text_of(newest)
    assert "Not sent yet." in text_of(newest)
    assert "&lt;script&gt;alert(&#x27;pr&#x27;)&lt;/script&gt;" in newest
    assert "<script>alert" not in page
    assert "ping pending" in text_of(oldest)


def test_only_the_last_twenty_deliveries_are_shown(public_repo, hook, admin):
    crafted = [crafted_delivery(hook, attempted=False) for _ in range(21)]

    page = get_page(admin, edit_page(hook))

    assert page.count('<details class="file delivery"') == 20
    assert f'data-guid="{crafted[0].guid}"' not in page
    assert f'data-guid="{crafted[-1].guid}"' in page


def test_redeliver_queues_a_new_delivery_with_the_same_guid(public_repo, hook, admin):
    delivery = crafted_delivery(hook)
    path = f"{edit_page(hook)}/deliveries/{delivery.pk}/redeliver"
    assert f'action="{path}"' in get_page(admin, edit_page(hook))

    response = admin.post(path, follow=True)

    assert response.redirect_chain == [(edit_page(hook), 302)]
    assert f"Delivery {delivery.guid} queued again." in text_of(response.content.decode())
    again = Delivery.objects.exclude(pk=delivery.pk).get(guid=delivery.guid)
    assert (again.hook, again.event, again.redelivery, again.state) == (
        hook,
        delivery.event,
        True,
        "pending",
    )
    assert "redelivery" in text_of(delivery_block(response.content.decode(), again))


def test_redelivering_another_hooks_delivery_is_404(public_repo, hook, admin):
    other = create_hook(
        repository=public_repo,
        user=public_repo.owner,
        config=HookConfig(url="http://127.0.0.1:9/other"),
    )
    delivery = Delivery.objects.get(hook=other)

    response = admin.post(f"{edit_page(hook)}/deliveries/{delivery.pk}/redeliver")

    assert response.status_code == 404
    assert Delivery.objects.filter(guid=delivery.guid).count() == 1


# CSRF ----------------------------------------------------------------------------------------


def test_posts_without_a_csrf_token_are_refused(public_repo, hook, alice):
    client = signed_in(alice, enforce_csrf_checks=True)
    delivery = Delivery.objects.get(hook=hook)
    before = stored(hook.pk)

    posts = [
        (NEW, form_fields(url="http://127.0.0.1:9/new")),
        (edit_page(hook), form_fields(url="http://127.0.0.1:9/changed")),
        (f"{edit_page(hook)}/delete", {}),
        (f"{edit_page(hook)}/deliveries/{delivery.pk}/redeliver", {}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == 403, path

    assert stored(hook.pk) == before
    assert (Hook.objects.count(), Delivery.objects.count()) == (1, 1)


def test_forms_carry_a_csrf_token_that_is_accepted(public_repo, hook, alice):
    client = signed_in(alice, enforce_csrf_checks=True)
    delivery = Delivery.objects.get(hook=hook)
    edit = get_page(client, edit_page(hook))
    redeliver = f"{edit_page(hook)}/deliveries/{delivery.pk}/redeliver"

    response = client.post(redeliver, {"csrfmiddlewaretoken": csrf_token_of(edit, redeliver)})
    assert response.status_code == 302
    assert Delivery.objects.filter(guid=delivery.guid, redelivery=True).exists()

    token = csrf_token_of(get_page(client, NEW), NEW)
    fields = form_fields(url="http://127.0.0.1:9/new", csrfmiddlewaretoken=token)
    assert client.post(NEW, fields).status_code == 302
    assert Hook.objects.filter(url="http://127.0.0.1:9/new").exists()

    delete = f"{edit_page(hook)}/delete"
    token = csrf_token_of(get_page(client, edit_page(hook)), delete)
    assert client.post(delete, {"csrfmiddlewaretoken": token}).status_code == 302
    assert not Hook.objects.filter(pk=hook.pk).exists()


# Queries -------------------------------------------------------------------------------------


def test_list_query_count_does_not_grow_with_hooks(alice, public_repo, hook, admin):
    with CaptureQueriesContext(connection) as one:
        get_page(admin, LIST)
    for index in range(4):
        create_hook(repository=public_repo, user=alice, config=HookConfig(url=f"{URL}/{index}"))
    with CaptureQueriesContext(connection) as five:
        page = get_page(admin, LIST)

    assert page.count(f'<a href="{LIST}/') == 5
    assert len(five) == len(one) > 0


def test_deliveries_query_count_does_not_grow_with_deliveries(public_repo, hook, admin):
    crafted_delivery(hook)
    with CaptureQueriesContext(connection) as few:
        get_page(admin, edit_page(hook))
    for _ in range(5):
        crafted_delivery(hook)
        crafted_delivery(hook, attempted=False)
    with CaptureQueriesContext(connection) as many:
        page = get_page(admin, edit_page(hook))

    assert page.count('<details class="file delivery"') == 12
    assert len(many) == len(few) > 0
