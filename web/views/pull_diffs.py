"""A pull request's `diff_url` and `patch_url`: its change as plain text, as the git command
line prints it."""

from django.http import Http404, HttpResponse

from gitforge.repositories.diffs import MAX_COMMITS, MAX_FILES, TooLarge, format_patch, range_diff
from gitforge.repositories.git import GitRepository
from pulls.models import PullRequest
from pulls.selectors import pull_range
from web.decorators import repository_page

TOO_LARGE = (
    f"This pull request is too large to show as text: it holds more than {MAX_COMMITS} "
    f"commits or changes more than {MAX_FILES} files.\n"
)


@repository_page()
def pull_diff(request, repository, permission, number):
    """`/{owner}/{repo}/pull/{number}.diff`: what `git diff base...head` prints."""
    return _range_text(repository, number, range_diff)


@repository_page()
def pull_patch(request, repository, permission, number):
    """`/{owner}/{repo}/pull/{number}.patch`: what `git format-patch base..head` prints."""
    return _range_text(repository, number, format_patch)


def _range_text(repository, number, write):
    pull = PullRequest.objects.filter(repository=repository, number=number).first()
    if pull is None:
        raise Http404("No such pull request")
    git = GitRepository(repository.id)
    base, head = pull_range(pull, git)
    try:
        text = write(git, base, head) if base and head else ""
    except TooLarge:
        return HttpResponse(TOO_LARGE, status=406, content_type="text/plain; charset=utf-8")
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
