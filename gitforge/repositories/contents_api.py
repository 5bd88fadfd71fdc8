"""GET /repos/{owner}/{repo}/contents/{path}: a file (its content in base64) or a folder's
entries, at `ref` (the default branch when absent)."""

from urllib.parse import quote

from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from gitforge.api.representations import api_base
from gitforge.repositories import git_data
from gitforge.repositories.authorization import RepositoryAPIView
from gitforge.repositories.git import GitRepository
from gitforge.repositories.git_representations import blob_json


def content_json(entry, ref, repository, request, *, content=None):
    """A `content-directory` item, or with `content` (the bytes) a `content-file`."""
    repo_url = f"{api_base(request)}/repos/{repository.full_name}"
    page = request.build_absolute_uri(f"/{repository.full_name}")
    url = f"{repo_url}/contents/{quote(entry.path)}?ref={quote(ref, safe='')}"
    html = {"dir": "tree", "file": "blob", "symlink": "blob"}.get(entry.kind)
    html_url = f"{page}/{html}/{ref}/{quote(entry.path)}" if html else None
    git_url = None
    if entry.kind != "submodule":
        git_url = f"{repo_url}/git/{'trees' if entry.kind == 'dir' else 'blobs'}/{entry.sha}"
    data = {
        "type": entry.kind,
        "size": entry.size,
        "name": entry.path.rsplit("/", 1)[-1],
        "path": entry.path,
        "sha": entry.sha,
        "url": url,
        "git_url": git_url,
        "html_url": html_url,
        "download_url": (
            f"{page}/raw/{ref}/{quote(entry.path)}" if entry.kind in ("file", "symlink") else None
        ),
        "_links": {"self": url, "git": git_url, "html": html_url},
    }
    if content is not None:
        blob = blob_json(entry.sha, content, repository, request)
        data.update(content=blob["content"], encoding="base64")
    return data


class ContentsView(RepositoryAPIView):
    """Files answer `content-file`, folders `content-directory`; symbolic links and submodules
    answer as the entries a folder lists."""

    documentation_url = "https://docs.github.com/rest/repos/contents#get-repository-content"

    def get(self, request, owner, repo, path=""):
        git = GitRepository(self.repository.id)
        if git.is_empty:
            raise NotFound("This repository is empty.")
        ref = request.query_params.get("ref") or self.repository.default_branch
        sha = git.resolve_ref(ref)
        if sha is None:
            raise NotFound(f"No commit found for the ref {ref}")
        path = path.strip("/")
        entry = git_data.entry_at(git, sha, path)
        if entry is None:
            raise NotFound()
        if entry.kind == "dir":
            return Response(
                [
                    content_json(item, ref, self.repository, request)
                    for item in git_data.folder(git, sha, path)
                ]
            )
        if entry.kind == "file":
            content = git_data.blob(git, entry.sha)
            return Response(content_json(entry, ref, self.repository, request, content=content))
        return Response(content_json(entry, ref, self.repository, request))
