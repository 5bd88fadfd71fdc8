"""A repository's webhook settings, for its admins: the hooks, each one's form and its recent
deliveries. Every page gathers its data with a fixed number of queries."""

import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gitforge.errors import InvalidInput
from gitforge.repositories import permissions
from hooks.models import Attempt, Delivery, Hook
from hooks.representations import SECRET_MASK
from hooks.services import create_hook, delete_hook, redeliver, update_hook
from web.decorators import repository_page
from web.errors import error_messages
from web.hook_forms import HookForm

RECENT_DELIVERIES = 20
INVALID = 422


@dataclass
class DeliveryRow:
    delivery: Delivery
    last_attempt: Attempt | None
    payload: str


def _hook_or_404(repository, hook_id) -> Hook:
    hook = Hook.objects.filter(repository=repository, pk=hook_id).first()
    if hook is None:
        raise Http404("No such hook")
    hook.repository = repository
    return hook


def _recent_deliveries(hook) -> list[DeliveryRow]:
    """The newest deliveries with their event and last attempt, in two queries."""
    deliveries = (
        Delivery.objects.filter(hook=hook)
        .select_related("event")
        .prefetch_related(Prefetch("attempt_log", queryset=Attempt.objects.order_by("number")))
        .order_by("-id")[:RECENT_DELIVERIES]
    )
    rows = []
    for delivery in deliveries:
        attempts = list(delivery.attempt_log.all())
        payload = json.dumps(json.loads(delivery.event.body), indent=2)
        rows.append(DeliveryRow(delivery, attempts[-1] if attempts else None, payload))
    return rows


def _posted(request):
    return request.POST if request.method == "POST" else None


def _refused(form: HookForm, error: InvalidInput) -> None:
    for message in error_messages(error):
        form.add_error(None, message)


@login_required
@repository_page(need=permissions.ADMIN)
def hook_list(request, repository, permission):
    hooks = Hook.objects.filter(repository=repository).order_by("id")
    return render(
        request,
        "web/hooks/list.html",
        {"repository": repository, "permission": permission, "hooks": hooks},
    )


@login_required
@repository_page(need=permissions.ADMIN)
def hook_new(request, repository, permission):
    """Add a hook; creating it sends a ping. A refused config re-renders the form (422)."""
    form = HookForm(_posted(request))
    if form.is_valid():
        try:
            create_hook(
                repository=repository,
                user=request.user,
                config=form.config(),
                events_=form.chosen_events(),
                active=form.cleaned_data["active"],
            )
        except InvalidInput as error:
            _refused(form, error)
        else:
            messages.success(request, "Webhook added. We sent it a ping event to test it.")
            return redirect("hook-list", repository.owner.username, repository.name)
    return render(
        request,
        "web/hooks/new.html",
        {"repository": repository, "permission": permission, "form": form},
        status=INVALID if form.errors else 200,
    )


@login_required
@repository_page(need=permissions.ADMIN)
def hook_edit(request, repository, permission, hook_id):
    """Edit a hook (an empty secret keeps the current one) and review its recent deliveries."""
    hook = _hook_or_404(repository, hook_id)
    form = HookForm(_posted(request), hook=hook)
    if form.is_valid():
        try:
            update_hook(
                hook=hook,
                config=form.config(),
                events_=form.chosen_events(),
                active=form.cleaned_data["active"],
            )
        except InvalidInput as error:
            _refused(form, error)
            hook.refresh_from_db()  # the refused change was applied to this copy only
        else:
            messages.success(request, "Webhook updated.")
            return redirect("hook-edit", repository.owner.username, repository.name, hook.pk)
    return render(
        request,
        "web/hooks/edit.html",
        {
            "repository": repository,
            "permission": permission,
            "hook": hook,
            "form": form,
            "secret_mask": SECRET_MASK if hook.secret else None,
            "deliveries": _recent_deliveries(hook),
        },
        status=INVALID if form.errors else 200,
    )


@require_POST
@login_required
@repository_page(need=permissions.ADMIN)
def hook_delete(request, repository, permission, hook_id):
    hook = _hook_or_404(repository, hook_id)
    delete_hook(hook=hook)
    messages.success(request, f"Webhook {hook.url} deleted.")
    return redirect("hook-list", repository.owner.username, repository.name)


@require_POST
@login_required
@repository_page(need=permissions.ADMIN)
def hook_redeliver(request, repository, permission, hook_id, delivery_id):
    hook = _hook_or_404(repository, hook_id)
    delivery = Delivery.objects.filter(hook=hook, pk=delivery_id).select_related("event").first()
    if delivery is None:
        raise Http404("No such delivery")
    delivery.hook = hook
    redeliver(delivery=delivery)
    messages.success(request, f"Delivery {delivery.guid} queued again.")
    return redirect("hook-edit", repository.owner.username, repository.name, hook.pk)
