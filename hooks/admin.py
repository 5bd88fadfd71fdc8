"""Hooks in the admin: saved through the services (validation, ping), secrets write-only,
deliveries and their attempts read-only."""

from django import forms
from django.contrib import admin

from gitforge.errors import InvalidInput
from hooks.models import Attempt, Delivery, Hook
from hooks.services import MAX_SECRET, HookConfig, check_hook, create_hook, update_hook


class HookForm(forms.ModelForm):
    secret = forms.CharField(
        required=False,
        max_length=MAX_SECRET,
        widget=forms.PasswordInput(render_value=False),
        help_text="Write-only: leave empty to keep the current secret.",
    )
    events = forms.CharField(help_text="Comma separated, e.g. push, pull_request, status, or *")

    class Meta:
        model = Hook
        fields = ("repository", "url", "content_type", "secret", "insecure_ssl", "events", "active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["events"] = ", ".join(self.instance.events or ["push"])
        self.initial["secret"] = ""

    def clean_events(self):
        return [name.strip() for name in self.cleaned_data["events"].split(",") if name.strip()]

    def config(self) -> HookConfig:
        data = self.cleaned_data
        return HookConfig(
            url=data.get("url"),
            content_type=data.get("content_type"),
            secret=data.get("secret") or None,
            insecure_ssl=data.get("insecure_ssl"),
        )

    def clean(self):
        data = super().clean() or {}
        try:
            check_hook(
                repository=data.get("repository"),
                config=self.config(),
                events_=data.get("events", []),
                hook=self.instance if self.instance.pk else None,
            )
        except InvalidInput as error:
            raise forms.ValidationError(
                [entry.get("message") or f"Invalid {entry['field']}" for entry in error.errors]
            ) from error
        return data


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = ("number", "started_at", "duration", "status_code", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Hook)
class HookAdmin(admin.ModelAdmin):
    form = HookForm
    list_display = ("url", "repository", "active", "last_status", "last_status_code")
    list_filter = ("active",)
    list_select_related = ("repository__owner",)
    search_fields = ("url", "repository__name")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            if not data["secret"]:  # the form copied the empty box onto the hook: keep the secret
                obj.secret = Hook.objects.values_list("secret", flat=True).get(pk=obj.pk)
            update_hook(
                hook=obj,
                config=form.config(),
                events_=data["events"],
                active=data["active"],
            )
        else:
            obj.pk = create_hook(
                repository=data["repository"],
                user=request.user,
                config=form.config(),
                events_=data["events"],
                active=data["active"],
            ).pk


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("guid", "hook", "event", "state", "attempts", "status", "created_at")
    list_filter = ("state",)
    list_select_related = ("hook__repository__owner", "event")
    inlines = [AttemptInline]
    readonly_fields = (
        "hook",
        "event",
        "guid",
        "redelivery",
        "content_type",
        "state",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "status_code",
        "status",
        "duration",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
