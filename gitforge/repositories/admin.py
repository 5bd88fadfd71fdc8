from django import forms
from django.contrib import admin

from gitforge.errors import InvalidInput
from gitforge.repositories.models import Collaborator, Repository
from gitforge.repositories.services import (
    create_repository,
    remove_collaborator,
    set_collaborator,
    validate_collaborator,
)


def check_collaborator(form, repository, user):
    """Apply set_collaborator()'s rules to an admin form, as form errors."""
    data = form.cleaned_data
    if not data or data.get("DELETE") or not user or not data.get("permission"):
        return
    try:
        validate_collaborator(repository=repository, user=user, permission=data["permission"])
    except InvalidInput as error:
        for entry in error.errors:
            form.add_error(None, entry.get("message") or f"{entry['field']} is invalid")


def save_collaborator(form, repository, user):
    """Save one admin row through the services; a row moved to another user leaves the old."""
    previous = form.initial.get("user")
    if previous is not None and previous != user.pk:
        remove_collaborator(repository=repository, user_id=previous)
    collaborator, _ = set_collaborator(
        repository=repository, user=user, permission=form.cleaned_data["permission"]
    )
    return collaborator


class CollaboratorFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            check_collaborator(form, self.instance, form.cleaned_data.get("user"))


class CollaboratorInline(admin.TabularInline):
    model = Collaborator
    formset = CollaboratorFormSet
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Repository)
class RepositoryAdmin(admin.ModelAdmin):
    list_display = ("full_name", "private", "default_branch", "created_at", "pushed_at")
    list_filter = ("private",)
    search_fields = ("name", "owner__username", "description")
    list_select_related = ("owner",)
    inlines = [CollaboratorInline]
    autocomplete_fields = ("owner",)

    def get_readonly_fields(self, request, obj=None):
        timestamps = ("created_at", "updated_at", "pushed_at")
        return timestamps if obj is None else ("owner", "name", *timestamps)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = create_repository(
            owner=obj.owner, name=obj.name, description=obj.description, private=obj.private
        )
        obj.pk = created.pk

    def save_formset(self, request, form, formset, change):
        """Collaborators are added, changed and removed through the services."""
        repository = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if not row.has_changed() or not row.cleaned_data:
                continue
            if row in formset.deleted_forms:
                if row.instance.pk:
                    remove_collaborator(repository=repository, user_id=row.instance.user_id)
                    formset.deleted_objects.append(row.instance)
            elif row.instance.pk:
                saved = save_collaborator(row, repository, row.cleaned_data["user"])
                formset.changed_objects.append((saved, row.changed_data))
            else:
                formset.new_objects.append(
                    save_collaborator(row, repository, row.cleaned_data["user"])
                )


class CollaboratorForm(forms.ModelForm):
    class Meta:
        model = Collaborator
        fields = ("repository", "user", "permission")

    def clean(self):
        cleaned = super().clean() or {}
        if self.instance.pk:  # only the permission is editable
            check_collaborator(self, self.instance.repository, self.instance.user)
        elif cleaned.get("repository"):
            check_collaborator(self, cleaned["repository"], cleaned.get("user"))
        return cleaned


@admin.register(Collaborator)
class CollaboratorAdmin(admin.ModelAdmin):
    """Collaborators saved through set_collaborator(), so the API's rules apply here too."""

    form = CollaboratorForm
    list_display = ("user", "repository", "permission", "created_at")
    list_filter = ("permission",)
    search_fields = ("user__username", "repository__name", "repository__owner__username")
    list_select_related = ("user", "repository__owner")
    autocomplete_fields = ("user", "repository")

    def get_readonly_fields(self, request, obj=None):
        return ("repository", "user") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        collaborator, _ = set_collaborator(
            repository=obj.repository, user=obj.user, permission=obj.permission
        )
        obj.pk = collaborator.pk

    def delete_model(self, request, obj):
        remove_collaborator(repository=obj.repository, user_id=obj.user_id)
