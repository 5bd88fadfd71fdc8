"""The repository webhooks API: hooks, their config, pings, tests, deliveries and redelivery."""

from django.db.models import QuerySet
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from gitforge.api.inputs import Field, read_body
from gitforge.api.pagination import GitHubPagination
from gitforge.errors import InvalidInput, field_error
from gitforge.repositories import permissions
from gitforge.repositories.authorization import RepositoryAPIView
from gitforge.repositories.selectors import find_repository, repository_permission
from hooks.models import Attempt, Delivery, Hook
from hooks.representations import config_json, delivery_detail_json, delivery_json, hook_json
from hooks.services import (
    HookConfig,
    create_hook,
    delete_hook,
    ping,
    redeliver,
    test_push,
    update_hook,
)

DOCS = "https://docs.github.com/rest/repos/webhooks"
ADMIN_ONLY = {method: permissions.ADMIN for method in ("GET", "POST", "PATCH", "DELETE")}


class HookAPIView(RepositoryAPIView):
    """Hook routes are for repository admins, through the `*:repo_hook` or `repo` scopes."""

    required_permission = ADMIN_ONLY

    @property
    def access_kind(self):  # type: ignore[override]
        method = self.request.method
        if method in SAFE_METHODS:
            return permissions.HOOKS_READ
        return permissions.HOOKS_ADMIN if method == "DELETE" else permissions.HOOKS_WRITE

    def check_permissions(self, request):
        """On a private repository, hooks do not exist for those who may not administer it."""
        try:
            super().check_permissions(request)
        except PermissionDenied:
            repository = find_repository(self.kwargs["owner"], self.kwargs["repo"])
            if repository is not None and repository.private:
                level = repository_permission(request.user, repository)
                if not permissions.at_least(level, permissions.ADMIN):
                    raise NotFound() from None
            raise

    def get_hook(self, hook_id) -> Hook:
        hook = Hook.objects.filter(repository=self.repository, pk=hook_id).first()
        if hook is None:
            raise NotFound()
        hook.repository = self.repository
        return hook


def _config(data) -> HookConfig:
    if not isinstance(data, dict):
        raise InvalidInput("Validation Failed", [field_error("Hook", "config", "invalid")])
    fields = {"url": (str,), "content_type": (str,), "secret": (str,)}
    errors = [
        field_error("Hook", name, "invalid")
        for name, types in fields.items()
        if data.get(name) is not None and not isinstance(data[name], types)
    ]
    insecure = data.get("insecure_ssl")
    if insecure is not None and str(insecure) not in ("0", "1"):
        errors.append(field_error("Hook", "insecure_ssl", "invalid"))
    if errors:
        raise InvalidInput("Validation Failed", errors)
    return HookConfig(
        url=data.get("url"),
        content_type=data.get("content_type"),
        secret=data.get("secret"),
        insecure_ssl=None if insecure is None else str(insecure) == "1",
    )


def _events(value):
    if value is not None and not (
        isinstance(value, list) and all(isinstance(name, str) for name in value)
    ):
        raise InvalidInput("Validation Failed", [field_error("Hook", "events", "invalid")])
    return value


class HookListView(HookAPIView):
    """GET and POST /repos/{owner}/{repo}/hooks"""

    documentation_url = DOCS + "#list-repository-webhooks"
    documentation_urls = {"POST": DOCS + "#create-a-repository-webhook"}

    def get(self, request, owner, repo):
        paginator = GitHubPagination()
        page = paginator.paginate_queryset(Hook.objects.filter(repository=self.repository), request)
        for hook in page:
            hook.repository = self.repository
        return paginator.get_paginated_response([hook_json(hook, request) for hook in page])

    def post(self, request, owner, repo):
        body = read_body(
            request,
            "Hook",
            {
                "name": Field((str,), default="web", choices=("web",)),
                "config": Field((dict,), required=True),
                "events": Field((list,), default=["push"]),
                "active": Field((bool,), default=True),
            },
        )
        hook = create_hook(
            repository=self.repository,
            user=request.user,
            config=_config(body["config"]),
            events_=_events(body["events"]),
            active=body["active"],
        )
        data = hook_json(hook, request)
        return Response(data, status=201, headers={"Location": data["url"]})


class HookView(HookAPIView):
    """GET, PATCH and DELETE /repos/{owner}/{repo}/hooks/{hook_id}"""

    documentation_url = DOCS + "#get-a-repository-webhook"
    documentation_urls = {
        "PATCH": DOCS + "#update-a-repository-webhook",
        "DELETE": DOCS + "#delete-a-repository-webhook",
    }

    def get(self, request, owner, repo, hook_id):
        return Response(hook_json(self.get_hook(hook_id), request))

    def patch(self, request, owner, repo, hook_id):
        hook = self.get_hook(hook_id)
        body = read_body(
            request,
            "Hook",
            {
                "config": Field((dict,)),
                "events": Field((list,)),
                "add_events": Field((list,)),
                "remove_events": Field((list,)),
                "active": Field((bool,)),
            },
        )
        config = None if body["config"] is None else _config(body["config"])
        if config is not None and config.secret is None:
            config.secret = ""  # a config without the secret removes it, as on GitHub
        update_hook(
            hook=hook,
            config=config,
            events_=_events(body["events"]),
            add_events=_events(body["add_events"]),
            remove_events=_events(body["remove_events"]),
            active=body["active"],
        )
        return Response(hook_json(hook, request))

    def delete(self, request, owner, repo, hook_id):
        delete_hook(hook=self.get_hook(hook_id))
        return Response(status=204)


class HookConfigView(HookAPIView):
    """GET and PATCH /repos/{owner}/{repo}/hooks/{hook_id}/config"""

    documentation_url = DOCS + "#get-a-webhook-configuration-for-a-repository"
    documentation_urls = {"PATCH": DOCS + "#update-a-webhook-configuration-for-a-repository"}

    def get(self, request, owner, repo, hook_id):
        return Response(config_json(self.get_hook(hook_id)))

    def patch(self, request, owner, repo, hook_id):
        hook = self.get_hook(hook_id)
        body = read_body(
            request,
            "Hook",
            {
                "url": Field((str,)),
                "content_type": Field((str,)),
                "secret": Field((str,)),
                "insecure_ssl": Field((str, int)),
            },
        )
        update_hook(hook=hook, config=_config(body))
        return Response(config_json(hook))


class HookPingView(HookAPIView):
    """POST /repos/{owner}/{repo}/hooks/{hook_id}/pings"""

    documentation_url = DOCS + "#ping-a-repository-webhook"

    def post(self, request, owner, repo, hook_id):
        ping(hook=self.get_hook(hook_id), user=request.user)
        return Response(status=204)


class HookTestView(HookAPIView):
    """POST /repos/{owner}/{repo}/hooks/{hook_id}/tests"""

    documentation_url = DOCS + "#test-the-push-repository-webhook"

    def post(self, request, owner, repo, hook_id):
        test_push(hook=self.get_hook(hook_id), user=request.user)
        return Response(status=204)


def _deliveries(hook) -> QuerySet[Delivery]:
    return Delivery.objects.filter(hook=hook).select_related("event")


class DeliveryListView(HookAPIView):
    """GET /repos/{owner}/{repo}/hooks/{hook_id}/deliveries"""

    documentation_url = DOCS + "#list-deliveries-for-a-repository-webhook"

    def get(self, request, owner, repo, hook_id):
        hook = self.get_hook(hook_id)
        paginator = GitHubPagination()
        page = paginator.paginate_queryset(_deliveries(hook), request)
        return paginator.get_paginated_response(
            [delivery_json(delivery, self.repository.id) for delivery in page]
        )


class DeliveryView(HookAPIView):
    """GET /repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}"""

    documentation_url = DOCS + "#get-a-delivery-for-a-repository-webhook"

    def get_delivery(self, hook_id, delivery_id) -> Delivery:
        hook = self.get_hook(hook_id)
        delivery = _deliveries(hook).filter(pk=delivery_id).first()
        if delivery is None:
            raise NotFound()
        delivery.hook = hook
        return delivery

    def get(self, request, owner, repo, hook_id, delivery_id):
        delivery = self.get_delivery(hook_id, delivery_id)
        attempts = list(Attempt.objects.filter(delivery=delivery))
        return Response(delivery_detail_json(delivery, attempts))


class RedeliveryView(DeliveryView):
    """POST /repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}/attempts"""

    documentation_url = DOCS + "#redeliver-a-delivery-for-a-repository-webhook"
    http_method_names = ["post", "options"]

    def post(self, request, owner, repo, hook_id, delivery_id):
        redeliver(delivery=self.get_delivery(hook_id, delivery_id))
        return Response({}, status=202)
