from django.urls import path

from pulls import api, views

REPO = "repos/<str:owner>/<str:repo>"

api_urlpatterns = [
    path(f"{REPO}/pulls", api.PullListView.as_view()),
    path(f"{REPO}/pulls/<int:number>", api.PullView.as_view()),
    path(f"{REPO}/pulls/<int:number>/merge", api.MergeView.as_view()),
]

PAGE = "<str:owner>/<str:repo>"

urlpatterns = [
    path(PAGE, views.repository_home, name="repository"),
    path(f"{PAGE}/pulls", views.pull_list, name="pull-list"),
    path(f"{PAGE}/compare", views.pull_new, name="pull-new"),
    path(f"{PAGE}/pull/<int:number>", views.pull_detail, name="pull-detail"),
    path(f"{PAGE}/pull/<int:number>/live", views.pull_live, name="pull-live"),
    path(f"{PAGE}/pull/<int:number>/merge", views.pull_merge, name="pull-merge"),
    path(
        f"{PAGE}/pull/<int:number>/close",
        views.pull_set_state,
        {"state": "closed"},
        name="pull-close",
    ),
    path(
        f"{PAGE}/pull/<int:number>/reopen",
        views.pull_set_state,
        {"state": "open"},
        name="pull-reopen",
    ),
    path(f"{PAGE}/commit/<str:sha>", views.commit_detail, name="commit"),
]
