"""A branch's page (`/{owner}/{repo}/tree/{branch}`, the `_links.html` of the branch API): its
head commit with its checks, and the files at the top of its tree."""

from django.http import Http404
from django.shortcuts import render

from gitforge.repositories.git import GitRepository
from gitforge.repositories.trees import top_entries
from statuses.selectors import get_status_summaries
from web.decorators import repository_page


@repository_page()
def branch_tree(request, repository, permission, branch):
    git = GitRepository(repository.id)
    sha = git.branch_sha(branch)
    if sha is None:
        raise Http404("No such branch")
    return render(
        request,
        "web/branch.html",
        {
            "repository": repository,
            "permission": permission,
            "branch": branch,
            "commit": git.commit(sha),
            "summary": get_status_summaries(repository=repository, shas=[sha]).get(sha),
            "entries": top_entries(git, sha),
        },
    )
