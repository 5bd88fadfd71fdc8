from django.contrib import admin

from pulls.models import PullRequest


@admin.register(PullRequest)
class PullRequestAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "repository", "author", "state", "merged", "created_at")
    list_filter = ("state", "merged")
    search_fields = ("title", "repository__name", "author__username")
    list_select_related = ("repository__owner", "author")
    readonly_fields = (
        "repository",
        "number",
        "author",
        "head_ref",
        "base_ref",
        "head_sha",
        "merged",
        "merged_by",
        "merged_at",
        "merge_commit_sha",
        "created_at",
        "updated_at",
        "closed_at",
    )

    def has_add_permission(self, request):
        return False  # pull requests are opened through the API or the pages
