"""A branch's page (`/{owner}/{repo}/tree/{branch}`, the `_links.html` of the branch API): its
head commit with its checks, and the files at the top of its tree. `/tree/{ref}/{folder}` (a
folder's `html_url` in the contents API) shows that folder of the ref instead."""

from django.http import Http404
from django.shortcuts import render

from gitforge.repositories.git import GitRepository
from gitforge.repositories.git_data import entry_at, folder
from gitforge.repositories.trees import TreeEntry, top_entries
from statuses.selectors import get_status_summaries
from web.decorators import repository_page

KINDS = {"dir": "folder", "submodule": "submodule", "symlink": "link"}


def _ref_and_folder(git, spec):
    """Split `spec` into the longest leading ref git knows and the folder after it."""
    parts = spec.split("/")
    for cut in range(len(parts), 0, -1):
        sha = git.resolve_ref("/".join(parts[:cut]))
        if sha is not None:
            return "/".join(parts[:cut]), sha, "/".join(parts[cut:])
    raise Http404("No such branch")


@repository_page()
def branch_tree(request, repository, permission, branch):
    git = GitRepository(repository.id)
    ref, sha, path = _ref_and_folder(git, branch)
    if path:
        found = entry_at(git, sha, path)
        if found is None or found.kind != "dir":
            raise Http404("No such folder")
        entries = sorted(
            (
                TreeEntry(entry.path.rsplit("/", 1)[-1], KINDS.get(entry.kind, "file"))
                for entry in folder(git, sha, path)
            ),
            key=lambda entry: (entry.kind != "folder", entry.name),
        )
    else:
        entries = top_entries(git, sha)
    return render(
        request,
        "web/branch.html",
        {
            "repository": repository,
            "permission": permission,
            "branch": ref,
            "path": path,
            "commit": git.commit(sha),
            "summary": get_status_summaries(repository=repository, shas=[sha]).get(sha),
            "entries": entries,
        },
    )
