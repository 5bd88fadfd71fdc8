from django.urls import path

from pulls import api, issues_api

REPO = "repos/<str:owner>/<str:repo>"

api_urlpatterns = [
    path(f"{REPO}/pulls", api.PullListView.as_view()),
    path(f"{REPO}/pulls/<int:number>", api.PullView.as_view()),
    path(f"{REPO}/pulls/<int:number>/merge", api.MergeView.as_view()),
    path(f"{REPO}/pulls/<int:number>/commits", api.PullCommitsView.as_view()),
    path(f"{REPO}/pulls/<int:number>/files", api.PullFilesView.as_view()),
    path(f"{REPO}/pulls/<int:number>/comments", api.PullReviewCommentsView.as_view()),
    path(f"{REPO}/pulls/<int:number>/reviews", api.PullReviewsView.as_view()),
    path(f"{REPO}/pulls/<int:number>/requested_reviewers", api.RequestedReviewersView.as_view()),
    path(f"{REPO}/issues", issues_api.IssueListView.as_view()),
    path(f"{REPO}/issues/<int:number>", api.IssueView.as_view()),
    path(f"{REPO}/issues/<int:number>/comments", api.IssueCommentsView.as_view()),
]
