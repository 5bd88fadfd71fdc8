from django.contrib.auth import views as auth_views
from django.urls import path

from gitforge.accounts import api, views

urlpatterns = [
    path("login", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/tokens", views.token_list, name="tokens"),
    path("settings/tokens/<int:token_id>/revoke", views.revoke_token, name="revoke-token"),
    path("avatars/<str:username>", views.avatar, name="avatar"),
]

api_urlpatterns = [
    path("user", api.AuthenticatedUserView.as_view()),
    path("users/<str:username>", api.UserView.as_view()),
]
