from django.urls import path

from pulls import api

REPO = "repos/<str:owner>/<str:repo>"

api_urlpatterns = [
    path(f"{REPO}/pulls", api.PullListView.as_view()),
    path(f"{REPO}/pulls/<int:number>", api.PullView.as_view()),
    path(f"{REPO}/pulls/<int:number>/merge", api.MergeView.as_view()),
]
