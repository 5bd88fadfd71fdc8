"""REST routes for git's own objects: /repos/{owner}/{repo}/git/commits, trees, blobs and refs."""

from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from gitforge.errors import Conflict
from gitforge.repositories import git_data
from gitforge.repositories.authorization import RepositoryAPIView
from gitforge.repositories.git import FULL_SHA, GitRepository
from gitforge.repositories.git_representations import (
    blob_json,
    git_commit_json,
    git_ref_json,
    git_tree_json,
)

DOCS = "https://docs.github.com/rest/git/"


class GitDataView(RepositoryAPIView):
    """A git data route: an empty repository has nothing to show (409, as GitHub)."""

    def git(self) -> GitRepository:
        git = GitRepository(self.repository.id)
        if git.is_empty:
            raise Conflict("Git Repository is empty.")
        return git


class GitCommitView(GitDataView):
    """GET /repos/{owner}/{repo}/git/commits/{commit_sha}"""

    documentation_url = DOCS + "commits#get-a-commit-object"

    def get(self, request, owner, repo, sha):
        commit = self.git().commit(sha.lower()) if FULL_SHA.match(sha.lower()) else None
        if commit is None:
            raise NotFound()
        return Response(git_commit_json(commit, self.repository, request))


class GitTreeView(GitDataView):
    """GET /repos/{owner}/{repo}/git/trees/{tree_sha}: a tree by its SHA, or that of a commit or
    ref; every level with `recursive` set to anything."""

    documentation_url = DOCS + "trees#get-a-tree"

    def get(self, request, owner, repo, sha):
        recursive = bool(request.query_params.get("recursive"))
        tree = git_data.tree(self.git(), sha, recursive=recursive)
        if tree is None:
            raise NotFound()
        return Response(git_tree_json(tree, self.repository, request))


class GitBlobView(GitDataView):
    """GET /repos/{owner}/{repo}/git/blobs/{file_sha}"""

    documentation_url = DOCS + "blobs#get-a-blob"

    def get(self, request, owner, repo, sha):
        content = git_data.blob(self.git(), sha)
        if content is None:
            raise NotFound()
        return Response(blob_json(sha.lower(), content, self.repository, request))


class GitRefView(GitDataView):
    """GET /repos/{owner}/{repo}/git/ref/{ref}: one ref, named in full after `refs/`."""

    documentation_url = DOCS + "refs#get-a-reference"

    def get(self, request, owner, repo, ref):
        name = "refs/" + ref
        found = [item for item in git_data.refs(self.git(), name) if item.name == name]
        if not found:
            raise NotFound()
        return Response(git_ref_json(found[0], self.repository, request))


class MatchingRefsView(GitDataView):
    """GET /repos/{owner}/{repo}/git/matching-refs/{ref}: the refs whose name starts with
    `refs/{ref}`, possibly none."""

    documentation_url = DOCS + "refs#list-matching-references"

    def get(self, request, owner, repo, ref=""):
        found = git_data.refs(self.git(), "refs/" + ref)
        return Response([git_ref_json(item, self.repository, request) for item in found])


class RefsView(GitDataView):
    """GET /repos/{owner}/{repo}/git/refs[/{ref}], the older route the `git_refs_url` template
    names: the ref itself when `ref` names one exactly, else the refs it prefixes (404 when
    none)."""

    documentation_url = DOCS + "refs#list-matching-references"

    def get(self, request, owner, repo, ref=""):
        name = "refs/" + ref
        found = git_data.refs(self.git(), name)
        exact = [item for item in found if item.name == name]
        if exact:
            return Response(git_ref_json(exact[0], self.repository, request))
        if not found:
            raise NotFound()
        return Response([git_ref_json(item, self.repository, request) for item in found])
