"""Root URLs, the composition root (so it alone imports the apps): the API, OAuth, pages, admin."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from oauth2_provider import views as oauth_views

from gitforge.accounts import urls as accounts_urls
from gitforge.accounts.forms import AdminSignInForm
from gitforge.accounts.sign_in_limits import answers_429_when_limited
from gitforge.api.views import api_not_found, api_root
from gitforge.repositories import urls as repositories_urls
from gitforge.repositories.transport import smart_http
from hooks import urls as hooks_urls
from protection import urls as protection_urls
from pulls import urls as pulls_urls
from statuses import urls as statuses_urls
from web import urls as web_urls

admin.site.login_form = AdminSignInForm  # failed admin sign-ins are limited as the pages' are

api_patterns = [
    path("", api_root),
    *statuses_urls.api_urlpatterns,
    *protection_urls.api_urlpatterns,
    *pulls_urls.api_urlpatterns,
    *hooks_urls.api_urlpatterns,
    *accounts_urls.api_urlpatterns,
    *repositories_urls.api_urlpatterns,
    re_path(r"^.*$", api_not_found),
]

oauth_patterns = [
    path("authorize", oauth_views.AuthorizationView.as_view(), name="authorize"),
    path("access_token", oauth_views.TokenView.as_view(), name="token"),
    path("revoke_token", oauth_views.RevokeTokenView.as_view(), name="revoke-token"),
]

urlpatterns = [
    path("api/v3/", include(api_patterns)),
    path("api/", include(api_patterns)),
    path("login/oauth/", include((oauth_patterns, "oauth2_provider"))),
    path("admin/login/", answers_429_when_limited(admin.site.login)),
    path("admin/", admin.site.urls),
    # `/{username}` pages would take these otherwise; APPEND_SLASH only redirects unmatched paths.
    path("admin", RedirectView.as_view(url="/admin/", permanent=True)),
    path("api", RedirectView.as_view(url="/api/", permanent=True)),
    re_path(
        r"^(?P<owner>[^/]+)/(?P<repo>[^/]+)\.git/(?P<path>info/refs|git-upload-pack|git-receive-pack)$",
        smart_http,
    ),
    path("", include(web_urls)),
]
