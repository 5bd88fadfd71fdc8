from django.urls import path

from protection import api, switches_api

BRANCH = "repos/<str:owner>/<str:repo>/branches/<path:branch>"

api_urlpatterns = [
    path("repos/<str:owner>/<str:repo>/branches", api.BranchListView.as_view()),
    path(f"{BRANCH}/protection", api.BranchProtectionView.as_view()),
    path(f"{BRANCH}/protection/required_status_checks", api.StatusChecksView.as_view()),
    path(f"{BRANCH}/protection/required_status_checks/contexts", api.ContextsView.as_view()),
    path(f"{BRANCH}/protection/enforce_admins", switches_api.EnforceAdminsView.as_view()),
    path(
        f"{BRANCH}/protection/required_signatures",
        switches_api.RequiredSignaturesView.as_view(),
    ),
    path(BRANCH, api.BranchView.as_view()),
]
