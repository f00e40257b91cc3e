"""Frameworks in the admin: read-only. They are edited in one place, the studio under
/frameworks/ (frameworks/studio.py), where every write is validated with the import's
rules; two ways to edit would be two sets of rules to keep equal."""

from django.contrib import admin

from frameworks.models import (
    Component,
    Dimension,
    Framework,
    FrameworkVersion,
    Prompt,
    ScaleLevel,
    Section,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def view_on_site(self, obj):  # the studio pages link where it makes sense
        return None


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SectionInline(ReadOnlyInline):
    model = Section
    fields = ["order", "key", "title"]


class PromptInline(ReadOnlyInline):
    model = Prompt
    fields = ["order", "key", "text", "required"]


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]

    def view_on_site(self, obj):
        from django.urls import reverse

        return reverse("frameworks:framework", args=[obj.slug])


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(ReadOnlyAdmin):
    list_display = ["framework", "number", "status", "language", "published_at", "created_by"]
    list_filter = ["status", "framework"]
    inlines = [SectionInline]

    def view_on_site(self, obj):
        from django.urls import reverse

        return reverse("frameworks:version", args=[obj.framework.slug, obj.number])


@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "key", "version", "order"]
    list_filter = ["version__framework", "version"]
    inlines = [PromptInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version__framework")


for model in (Component, Dimension, ScaleLevel):
    admin.site.register(model, ReadOnlyAdmin)
