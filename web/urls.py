from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from gitforge.accounts.forms import SignInForm
from gitforge.accounts.sign_in_limits import answers_429_when_limited
from web.views import (
    account,
    badges,
    branches,
    files,
    hooks,
    pull_diffs,
    pulls,
    repositories,
    users,
)

PAGE = "<str:owner>/<str:repo>"
HOOK = f"{PAGE}/settings/hooks/<int:hook_id>"

urlpatterns = [
    # First: every open pull request page asks for it every few seconds.
    path(f"{PAGE}/pull/<int:number>/live/<str:token>", pulls.pull_live, name="pull-live-token"),
    path("", repositories.home, name="home"),
    path(
        "login",
        answers_429_when_limited(
            auth_views.LoginView.as_view(
                template_name="web/login.html", authentication_form=SignInForm
            )
        ),
        name="login",
    ),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/tokens", account.token_list, name="tokens"),
    path("settings/tokens/<int:token_id>/revoke", account.revoke_token, name="revoke-token"),
    path("avatars/<str:username>", account.avatar, name="avatar"),
    path("<str:username>", users.user_profile, name="user"),
    re_path(r"^(?P<owner>[^/]+)/(?P<repo>[^/]+)\.git/?$", files.clone_url_page, name="clone"),
    path(PAGE, repositories.repository_home, name="repository"),
    path(f"{PAGE}/blob/<str:ref>/<path:path>", files.file_page, name="file"),
    path(f"{PAGE}/raw/<str:ref>/<path:path>", files.raw_file, name="raw-file"),
    path(f"{PAGE}/commit/<str:sha>", repositories.commit_detail, name="commit"),
    path(f"{PAGE}/commits", repositories.commit_list, name="commit-list"),
    path(f"{PAGE}/commits/<path:ref>", repositories.commit_list, name="commit-list"),
    path(f"{PAGE}/badges/<path:branch>.svg", badges.branch_badge, name="badge"),
    path(f"{PAGE}/pulls", pulls.pull_list, name="pull-list"),
    path(f"{PAGE}/compare", pulls.pull_new, name="pull-new"),
    path(f"{PAGE}/tree/<path:branch>", branches.branch_tree, name="branch-tree"),
    path(f"{PAGE}/pull/<int:number>", pulls.pull_detail, name="pull-detail"),
    path(f"{PAGE}/pull/<int:number>.diff", pull_diffs.pull_diff, name="pull-diff"),
    path(f"{PAGE}/pull/<int:number>.patch", pull_diffs.pull_patch, name="pull-patch"),
    path(f"{PAGE}/pull/<int:number>/live", pulls.pull_live, name="pull-live"),
    path(f"{PAGE}/pull/<int:number>/merge", pulls.pull_merge, name="pull-merge"),
    path(
        f"{PAGE}/pull/<int:number>/auto-merge",
        pulls.pull_enable_auto_merge,
        name="pull-auto-merge",
    ),
    path(
        f"{PAGE}/pull/<int:number>/auto-merge/disable",
        pulls.pull_disable_auto_merge,
        name="pull-auto-merge-disable",
    ),
    path(
        f"{PAGE}/pull/<int:number>/close",
        pulls.pull_set_state,
        {"state": "closed"},
        name="pull-close",
    ),
    path(
        f"{PAGE}/pull/<int:number>/reopen",
        pulls.pull_set_state,
        {"state": "open"},
        name="pull-reopen",
    ),
    path(f"{PAGE}/settings/hooks", hooks.hook_list, name="hook-list"),
    path(f"{PAGE}/settings/hooks/new", hooks.hook_new, name="hook-new"),
    path(HOOK, hooks.hook_edit, name="hook-edit"),
    path(f"{HOOK}/delete", hooks.hook_delete, name="hook-delete"),
    path(
        f"{HOOK}/deliveries/<int:delivery_id>/redeliver",
        hooks.hook_redeliver,
        name="hook-redeliver",
    ),
]
