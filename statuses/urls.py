from django.urls import path

from statuses import api

REPO = "repos/<str:owner>/<str:repo>"

api_urlpatterns = [
    path(f"{REPO}/statuses/<path:sha>", api.CreateStatusView.as_view()),
    path(f"{REPO}/commits/<path:ref>/statuses", api.CommitStatusListView.as_view()),
    path(f"{REPO}/commits/<path:ref>/status", api.CombinedStatusView.as_view()),
    path(f"{REPO}/commits/<path:ref>/check-runs", api.CheckRunListView.as_view()),
    path(f"{REPO}/commits/<path:ref>/check-suites", api.CheckSuiteListView.as_view()),
]
