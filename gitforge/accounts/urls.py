from django.urls import path

from gitforge.accounts import api

api_urlpatterns = [
    path("user", api.AuthenticatedUserView.as_view()),
    path("users/<str:username>", api.UserView.as_view()),
]
