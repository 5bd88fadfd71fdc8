from django.contrib import admin

from statuses.models import CommitStatus


@admin.register(CommitStatus)
class CommitStatusAdmin(admin.ModelAdmin):
    """Statuses are history: visible, never edited here."""

    list_display = ("context", "state", "short_sha", "repository", "creator", "created_at")
    list_filter = ("state", "repository", "context")
    search_fields = ("sha", "context", "description")
    list_select_related = ("repository__owner", "creator")
    date_hierarchy = "created_at"

    @admin.display(description="sha")
    def short_sha(self, status):
        return status.sha[:7]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
