from django import forms
from django.contrib import admin

from protection.globs import validate_pattern
from protection.models import ProtectedBranch, RequiredContext
from protection.selectors import reported_contexts, required_context_report
from protection.services import save_protection


def _pattern_field_cleaner(field_name):
    def clean(form):
        value = form.cleaned_data[field_name]
        try:
            validate_pattern(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return value

    return clean


class RequiredContextForm(forms.ModelForm):
    clean_context = _pattern_field_cleaner("context")

    class Meta:
        model = RequiredContext
        fields = ("context",)
        widgets = {"context": forms.TextInput(attrs={"list": "reported-contexts", "size": 40})}
        help_texts = {"context": "A context such as ci/tests, or a glob: ci/*, build/**"}


class RequiredContextFormSet(forms.BaseInlineFormSet):
    def contexts(self):
        """The contexts the form lists, in order, without deleted and empty rows.

        Contexts that differ only in case are one context: save_protection() keeps it once, as
        it does for the API.
        """
        return [
            form.cleaned_data["context"]
            for form in self.forms
            if form.cleaned_data.get("context") and not form.cleaned_data.get("DELETE")
        ]


class ProtectedBranchForm(forms.ModelForm):
    clean_pattern = _pattern_field_cleaner("pattern")

    class Meta:
        model = ProtectedBranch
        fields = (
            "repository",
            "pattern",
            "require_status_checks",
            "strict",
            "enforce_admins",
            "allow_force_pushes",
            "allow_deletions",
            "required_linear_history",
        )


class RequiredContextInline(admin.TabularInline):
    model = RequiredContext
    form = RequiredContextForm
    formset = RequiredContextFormSet
    extra = 1


@admin.register(ProtectedBranch)
class ProtectedBranchAdmin(admin.ModelAdmin):
    """Rules with their required contexts inline, saved by the same service as the API; the form
    suggests contexts the repository has reported and warns about required contexts that were
    never reported."""

    form = ProtectedBranchForm
    inlines = [RequiredContextInline]
    list_display = ("pattern", "repository", "require_status_checks", "strict", "enforce_admins")
    list_filter = ("require_status_checks", "strict", "enforce_admins")
    search_fields = ("pattern", "repository__name", "repository__owner__username")
    list_select_related = ("repository__owner",)
    autocomplete_fields = ("repository",)
    change_form_template = "admin/protection/protectedbranch/change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        rule = self.get_object(request, object_id)
        if rule is not None:
            reported = reported_contexts(repository=rule.repository)
            extra_context["reported_contexts"] = reported[:100]
            extra_context["context_report"] = required_context_report(rule=rule, reported=reported)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Saved with its contexts in save_related(), through save_protection()."""

    def save_related(self, request, form, formsets, change):
        [contexts_formset] = formsets
        data = form.cleaned_data
        rule = save_protection(
            repository=data["repository"],
            pattern=data["pattern"],
            require_status_checks=data["require_status_checks"],
            strict=data["strict"],
            contexts=contexts_formset.contexts(),
            enforce_admins=data["enforce_admins"],
            allow_force_pushes=data["allow_force_pushes"],
            allow_deletions=data["allow_deletions"],
            required_linear_history=data["required_linear_history"],
            rule=form.instance if change else None,
        )
        form.instance.pk = rule.pk
        # The admin's change message reads what a formset saved; the service saved it.
        contexts_formset.new_objects = []
        contexts_formset.changed_objects = []
        contexts_formset.deleted_objects = []
