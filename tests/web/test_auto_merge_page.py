"""Auto-merge on the pull request page: offered beside Merge while required checks are not
green, shown with who enabled it and why it waits, and turned off again."""

from pulls.auto_merge import attempt_auto_merge, enable_auto_merge
from pulls.models import AutoMerge, PullRequest
from tests.helpers import (
    csrf_token_of,
    get_page,
    head_of,
    merge_box,
    protect_main,
    report,
    signed_in,
    text_of,
)

PAGE = "/alice/project/pull/1"
ENABLE = f"{PAGE}/auto-merge"
DISABLE = f"{PAGE}/auto-merge/disable"


def test_offered_while_required_checks_are_pending(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests")
    report(public_repo, head_of(public_repo), "ci/tests", "pending", creator=alice)

    box = merge_box(get_page(alice_client, PAGE))

    assert f'action="{ENABLE}"' in box
    assert 'id="enable-auto-merge"' in box
    assert 'name="commit_title"' in box and 'name="commit_message"' in box
    assert csrf_token_of(box, ENABLE)


def test_not_offered_without_required_checks(alice, public_repo, pull, alice_client):
    assert ENABLE not in get_page(alice_client, PAGE)


def test_not_offered_once_checks_pass(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests")
    report(public_repo, head_of(public_repo), "ci/tests", "success", creator=alice)

    assert ENABLE not in get_page(alice_client, PAGE)


def test_not_offered_to_someone_without_push_access(alice, bob, public_repo, pull):
    protect_main(public_repo, "ci/tests")

    assert ENABLE not in get_page(signed_in(bob), PAGE)
    response = signed_in(bob).post(ENABLE, {"merge_method": "merge"})
    assert response.status_code == 403
    assert not AutoMerge.objects.exists()


def test_enabling_from_the_page_then_disabling(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests")

    response = alice_client.post(
        ENABLE, {"merge_method": "squash", "commit_title": "Ship <it>", "commit_message": ""}
    )

    assert response.status_code == 302
    auto_merge = AutoMerge.objects.get(pull=pull)
    assert (auto_merge.merge_method, auto_merge.commit_title) == ("squash", "Ship <it>")
    page = get_page(alice_client, PAGE)
    box = merge_box(page)
    assert "Auto-merge enabled by alice" in text_of(box)
    assert "(squash)" in text_of(box)
    assert ENABLE + '"' not in box
    assert 'data-live="true"' in page

    assert alice_client.post(DISABLE).status_code == 302
    assert not AutoMerge.objects.exists()
    assert "Auto-merge enabled" not in get_page(alice_client, PAGE)


def test_page_says_why_it_waits_and_keeps_refreshing(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests")
    enable_auto_merge(pull=pull, user=alice, permission="admin", method="merge")
    report(public_repo, head_of(public_repo), "ci/tests", "failure", creator=alice)
    attempt_auto_merge.call(pull.pk)

    page = get_page(alice_client, PAGE)

    waiting = text_of(page[page.index('id="auto-merge-waiting">') + 24 :])
    assert waiting.startswith('Waiting: Required status check "ci/tests" is failing.')
    assert 'data-live="true"' in page  # every check is final, but auto-merge still waits


def test_refusals_show_as_messages(alice, public_repo, pull, alice_client):
    response = alice_client.post(ENABLE, {"merge_method": "merge"}, follow=True)

    assert "requires status checks" in response.content.decode()
    assert not AutoMerge.objects.exists()


def test_forms_need_the_csrf_token(alice, public_repo, pull):
    protect_main(public_repo, "ci/tests")
    client = signed_in(alice, enforce_csrf_checks=True)

    assert client.post(ENABLE, {"merge_method": "merge"}).status_code == 403
    assert not AutoMerge.objects.exists()


def test_enabled_by_a_merged_pull_shows_merged(alice, public_repo, pull, alice_client):
    protect_main(public_repo, "ci/tests")
    enable_auto_merge(pull=pull, user=alice, permission="admin", method="merge")
    report(public_repo, head_of(public_repo), "ci/tests", "success", creator=alice)
    attempt_auto_merge.call(pull.pk)

    page = get_page(alice_client, PAGE)

    assert PullRequest.objects.get(pk=pull.pk).merged
    assert "Merged by alice" in text_of(merge_box(page))
    assert 'data-live="false"' in page
