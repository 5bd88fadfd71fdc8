from django.urls import path

from protection import api

BRANCH = "repos/<str:owner>/<str:repo>/branches/<path:branch>"

api_urlpatterns = [
    path("repos/<str:owner>/<str:repo>/branches", api.BranchListView.as_view()),
    path(f"{BRANCH}/protection", api.BranchProtectionView.as_view()),
    path(f"{BRANCH}/protection/required_status_checks", api.StatusChecksView.as_view()),
    path(f"{BRANCH}/protection/required_status_checks/contexts", api.ContextsView.as_view()),
    path(BRANCH, api.BranchView.as_view()),
]
