"""The webhook settings form: GitHub's fields, mapped onto the hooks services' arguments."""

from typing import cast

from django import forms

from hooks.models import CONTENT_TYPES, FORM, JSON, Hook
from hooks.services import MAX_SECRET, HookConfig

JUST_PUSH = "push"
EVERYTHING = "everything"
SELECTED = "selected"
EVENT_SCOPES = [
    (JUST_PUSH, "Just the push event"),
    (EVERYTHING, "Send me everything"),
    (SELECTED, "Let me select individual events"),
]
SELECTABLE_EVENTS = ["push", "pull_request", "status", "create", "delete"]


class HookForm(forms.Form):
    """Add or edit a hook. The secret is write-only: never rendered back, and left empty
    when editing it keeps the current one."""

    url = forms.CharField(label="Payload URL", widget=forms.TextInput)
    content_type = forms.ChoiceField(
        choices=[(JSON, CONTENT_TYPES[JSON]), (FORM, CONTENT_TYPES[FORM])], initial=JSON
    )
    secret = forms.CharField(
        required=False, max_length=MAX_SECRET, widget=forms.PasswordInput(render_value=False)
    )
    insecure_ssl = forms.BooleanField(required=False, label="Disable SSL verification")
    event_scope = forms.ChoiceField(
        choices=EVENT_SCOPES,
        initial=JUST_PUSH,
        widget=forms.RadioSelect,
        label="Which events would you like to trigger this webhook?",
    )
    events = forms.MultipleChoiceField(
        required=False,
        choices=[(name, name) for name in SELECTABLE_EVENTS],
        widget=forms.CheckboxSelectMultiple,
        label="Individual events",
    )
    active = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, hook: Hook | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = hook is not None
        if hook is None:
            return
        self.fields["secret"].help_text = "Leave empty to keep the current secret."
        # Events set through the API stay listed (and checked) rather than silently dropped.
        others = [name for name in hook.events if name not in SELECTABLE_EVENTS + ["*"]]
        events = cast(forms.MultipleChoiceField, self.fields["events"])
        events.choices = [(name, name) for name in SELECTABLE_EVENTS + others]
        self.initial.update(
            {
                "url": hook.url,
                "content_type": hook.content_type,
                "insecure_ssl": hook.insecure_ssl,
                "event_scope": _scope_of(hook.events),
                "events": [name for name in hook.events if name != "*"],
                "active": hook.active,
            }
        )

    def config(self) -> HookConfig:
        data = self.cleaned_data
        return HookConfig(
            url=data["url"],
            content_type=data["content_type"],
            secret=data["secret"] if data["secret"] or not self.editing else None,
            insecure_ssl=data["insecure_ssl"],
        )

    def chosen_events(self) -> list[str]:
        scope = self.cleaned_data["event_scope"]
        if scope == JUST_PUSH:
            return ["push"]
        if scope == EVERYTHING:
            return ["*"]
        return list(self.cleaned_data["events"])


def _scope_of(events: list[str]) -> str:
    if "*" in events:
        return EVERYTHING
    return JUST_PUSH if events == ["push"] else SELECTED
