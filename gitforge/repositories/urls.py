from django.urls import path

from gitforge.repositories import (
    api,
    collections_api,
    contents_api,
    git_api,
    user_repositories_api,
)
from gitforge.repositories.empty_collections_api import empty_collection_urlpatterns

REPO = "repos/<str:owner>/<str:repo>"

api_urlpatterns = [
    path("user/repos", api.CreateRepositoryView.as_view()),
    path("users/<str:username>/repos", user_repositories_api.UserRepositoryListView.as_view()),
    path(REPO, api.RepositoryView.as_view()),
    *empty_collection_urlpatterns(REPO),
    path(f"{REPO}/zipball", api.ArchiveView.as_view()),
    path(f"{REPO}/zipball/<path:ref>", api.ArchiveView.as_view()),
    path(f"{REPO}/tarball", api.TarballView.as_view()),
    path(f"{REPO}/tarball/<path:ref>", api.TarballView.as_view()),
    path(f"{REPO}/commits", api.CommitListView.as_view()),
    path(f"{REPO}/commits/<path:ref>", api.CommitView.as_view()),
    path(f"{REPO}/collaborators", collections_api.CollaboratorListView.as_view()),
    path(f"{REPO}/collaborators/<str:username>", api.CollaboratorView.as_view()),
    path(f"{REPO}/assignees", collections_api.AssigneeListView.as_view()),
    path(f"{REPO}/contributors", collections_api.ContributorListView.as_view()),
    path(f"{REPO}/languages", collections_api.LanguagesView.as_view()),
    path(f"{REPO}/contents", contents_api.ContentsView.as_view()),
    path(f"{REPO}/contents/", contents_api.ContentsView.as_view()),
    path(f"{REPO}/contents/<path:path>", contents_api.ContentsView.as_view()),
    path(f"{REPO}/tags", collections_api.TagListView.as_view()),
    path(f"{REPO}/git/commits/<str:sha>", git_api.GitCommitView.as_view()),
    path(f"{REPO}/git/trees/<path:sha>", git_api.GitTreeView.as_view()),
    path(f"{REPO}/git/blobs/<str:sha>", git_api.GitBlobView.as_view()),
    path(f"{REPO}/git/ref/<path:ref>", git_api.GitRefView.as_view()),
    path(f"{REPO}/git/matching-refs/<path:ref>", git_api.MatchingRefsView.as_view()),
    path(f"{REPO}/git/matching-refs/", git_api.MatchingRefsView.as_view()),
    path(f"{REPO}/git/refs", git_api.RefsView.as_view()),
    path(f"{REPO}/git/refs/<path:ref>", git_api.RefsView.as_view()),
]
