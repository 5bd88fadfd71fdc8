from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin

from gitforge.accounts.models import PersonalAccessToken, User
from gitforge.accounts.scopes import SCOPES
from gitforge.accounts.services import create_personal_access_token


@admin.register(User)
class GitforgeUserAdmin(UserAdmin):
    search_fields = ("username", "email", "first_name", "last_name")


class NewTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=[(scope, scope) for scope in SCOPES], widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = PersonalAccessToken
        fields = ("user", "name", "scopes", "expires_at")


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(admin.ModelAdmin):
    """Lists tokens without their secret; adding one shows the new secret once, as a message."""

    list_display = (
        "name",
        "user",
        "token_prefix",
        "scopes",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at", "expires_at")
    search_fields = ("name", "user__username", "token_prefix")
    readonly_fields = ("user", "scopes", "token_prefix", "created_at", "last_used_at")
    fields = (
        "user",
        "name",
        "scopes",
        "token_prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    autocomplete_fields = ("user",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = NewTokenForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        return NewTokenForm.Meta.fields if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, secret = create_personal_access_token(
            user=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.cleaned_data["expires_at"],
        )
        for field in PersonalAccessToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(token, field.attname))
        messages.success(request, f"New token {secret} — copy it now, it will not be shown again.")
