from django.contrib import admin

from gitforge.repositories.models import Collaborator, Repository
from gitforge.repositories.services import create_repository


class CollaboratorInline(admin.TabularInline):
    model = Collaborator
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


@admin.register(Collaborator)
class CollaboratorAdmin(admin.ModelAdmin):
    list_display = ("user", "repository", "permission", "created_at")
    list_filter = ("permission",)
    search_fields = ("user__username", "repository__name", "repository__owner__username")
    list_select_related = ("user", "repository__owner")
    autocomplete_fields = ("user", "repository")
