from django.urls import path

from gitforge.repositories import api

REPO = "repos/<str:owner>/<str:repo>"

api_urlpatterns = [
    path("user/repos", api.CreateRepositoryView.as_view()),
    path(REPO, api.RepositoryView.as_view()),
    path(f"{REPO}/commits", api.CommitListView.as_view()),
    path(f"{REPO}/commits/<path:ref>", api.CommitView.as_view()),
    path(f"{REPO}/collaborators/<str:username>", api.CollaboratorView.as_view()),
]
