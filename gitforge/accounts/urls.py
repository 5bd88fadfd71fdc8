from django.contrib.auth import views as auth_views
from django.urls import path

from gitforge.accounts import api

urlpatterns = [
    path("login", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
]

api_urlpatterns = [
    path("user", api.AuthenticatedUserView.as_view()),
    path("users/<str:username>", api.UserView.as_view()),
]
