from django.urls import path

from gitforge.accounts import api
from gitforge.accounts.collections_api import empty_collection_urlpatterns

api_urlpatterns = [
    path("user", api.AuthenticatedUserView.as_view()),
    path("users/<str:username>", api.UserView.as_view()),
    *empty_collection_urlpatterns,
]
