"""Framework editing for framework admins. Published and retired versions show read-only;
every save and delete goes through the services, which refuse to touch them."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from frameworks import services
from frameworks.documents import DocumentError, dump, parse
from frameworks.forms import FrameworkImportForm
from frameworks.models import (
    Component,
    Dimension,
    Framework,
    FrameworkVersion,
    Prompt,
    ScaleLevel,
    Section,
)
from frameworks.selectors import version_document, version_with_content


def _locked(version) -> bool:
    return version is not None and not version.is_editable


def _save_inline_rows(version, formset) -> None:
    """Inline rows go through the services like every other edit."""
    services.version_assert_editable(version)
    instances = formset.save(commit=False)
    for obj in formset.deleted_objects:
        services.content_delete(obj=obj)
    for obj in instances:
        services.content_save(obj=obj)
    formset.save_m2m()


class LockedWhenPublishedMixin:
    """Read-only admin for content of a version that is no longer a draft."""

    def version_for(self, request, obj):  # overridden where the version is elsewhere
        return services.version_of(obj) if obj is not None else None

    def has_change_permission(self, request, obj=None):
        if _locked(self.version_for(request, obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if _locked(self.version_for(request, obj)):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            services.content_save(obj=obj)
        except ValidationError as exc:
            raise PermissionDenied(" ".join(exc.messages)) from exc

    def delete_model(self, request, obj):
        try:
            services.content_delete(obj=obj)
        except ValidationError as exc:
            raise PermissionDenied(" ".join(exc.messages)) from exc

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class VersionInlineMixin(LockedWhenPublishedMixin):
    """Inlines on the version page: locked when the parent version is."""

    extra = 0

    def version_for(self, request, obj):
        return obj

    def has_add_permission(self, request, obj=None):
        if _locked(obj):
            return False
        return super().has_add_permission(request, obj)


class SectionInline(VersionInlineMixin, admin.TabularInline):
    model = Section
    fields = ["order", "key", "title", "guidance"]
    show_change_link = True


class ComponentInline(VersionInlineMixin, admin.StackedInline):
    model = Component
    fields = ["order", "key", "name", "description"]


class DimensionInline(VersionInlineMixin, admin.StackedInline):
    model = Dimension
    fields = ["order", "key", "name", "description", "examples"]


class ScaleLevelInline(VersionInlineMixin, admin.TabularInline):
    model = ScaleLevel
    fields = ["scale", "value", "label", "description"]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    change_list_template = "admin/frameworks/frameworkversion/change_list.html"
    list_display = ["framework", "number", "status", "language", "published_at"]
    list_filter = ["status", "framework"]
    readonly_fields = ["status", "published_at", "created_at"]
    inlines = [SectionInline, ComponentInline, DimensionInline, ScaleLevelInline]
    actions = ["new_draft", "publish", "retire", "export_yaml"]

    def has_change_permission(self, request, obj=None):
        if _locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if _locked(obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            try:
                services.version_assert_editable(obj)
            except ValidationError as exc:
                raise PermissionDenied(" ".join(exc.messages)) from exc
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        _save_inline_rows(form.instance, formset)

    @admin.action(description=_("New draft from this version"), permissions=["add"])
    def new_draft(self, request, queryset):
        for version in queryset:
            draft = services.version_new_draft(version=version)
            self.message_user(
                request,
                _("Created draft v%(n)d of %(fw)s.") % {"n": draft.number, "fw": draft.framework},
                messages.SUCCESS,
            )

    @admin.action(description=_("Publish"), permissions=["publish"])
    def publish(self, request, queryset):
        done = 0
        for version in queryset:
            try:
                services.version_publish(version=version)
                done += 1
            except ValidationError as exc:
                self.message_user(
                    request,
                    _("%(v)s was not published: %(why)s")
                    % {"v": version, "why": " ".join(exc.messages)},
                    messages.ERROR,
                )
        if done:
            self.message_user(
                request,
                ngettext("Published %d version.", "Published %d versions.", done) % done,
                messages.SUCCESS,
            )

    @admin.action(description=_("Retire (no new assessments)"), permissions=["publish"])
    def retire(self, request, queryset):
        for version in queryset:
            try:
                services.version_retire(version=version)
            except ValidationError as exc:
                self.message_user(request, f"{version}: {' '.join(exc.messages)}", messages.ERROR)

    @admin.action(description=_("Export as YAML"), permissions=["view"])
    def export_yaml(self, request, queryset):
        version = version_with_content(queryset.order_by("-number")).first()
        response = HttpResponse(dump(version_document(version)), content_type="application/yaml")
        response["Content-Disposition"] = (
            f'attachment; filename="{version.framework.slug}-v{version.number}.yaml"'
        )
        return response

    def get_urls(self):
        custom = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="frameworks_frameworkversion_import",
            ),
        ]
        return custom + super().get_urls()

    def import_view(self, request):
        """Upload a framework file; an invalid one lists its problems and changes nothing."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = FrameworkImportForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            try:
                document = parse(form.cleaned_data["file"])
                version, outcome = services.framework_import(
                    document=document, publish=form.cleaned_data["publish"]
                )
            except DocumentError as exc:
                problems = exc.problems
            except ValidationError as exc:
                problems = exc.messages
            else:
                self.message_user(
                    request,
                    _("%(outcome)s: %(version)s.")
                    % {"outcome": outcome.capitalize(), "version": version},
                    messages.SUCCESS,
                )
                return redirect("admin:frameworks_frameworkversion_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a framework version"),
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/frameworks/frameworkversion/import.html", context)

    def has_publish_permission(self, request):
        return request.user.has_perm("frameworks.change_frameworkversion")


class PromptInline(VersionInlineMixin, admin.TabularInline):
    model = Prompt
    fields = ["order", "key", "text", "help", "required"]

    def version_for(self, request, obj):
        return obj.version if obj is not None else None

    def has_add_permission(self, request, obj=None):
        if obj is not None and _locked(obj.version):
            return False
        return admin.TabularInline.has_add_permission(self, request, obj)


@admin.register(Section)
class SectionAdmin(LockedWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["title", "key", "version", "order"]
    list_filter = ["version__framework", "version"]
    inlines = [PromptInline]

    def save_formset(self, request, form, formset, change):
        _save_inline_rows(form.instance.version, formset)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version__framework")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # New sections can only go into drafts; offering a published version would
        # only lead to a refusal on save.
        if db_field.name == "version":
            kwargs["queryset"] = FrameworkVersion.objects.filter(
                status=FrameworkVersion.Status.DRAFT
            ).select_related("framework")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
