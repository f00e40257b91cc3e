"""The read-only framework browser: the frameworks, and one version with its content."""

from django.shortcuts import get_object_or_404, render

from frameworks import selectors
from frameworks.models import ScaleLevel
from frameworks.permissions import can_edit_frameworks


def framework_list(request):
    """Read-only browser: every framework with a published (or retired) version."""
    return render(
        request,
        "frameworks/framework_list.html",
        {
            "frameworks": selectors.frameworks_for(request.user),
            "can_edit": can_edit_frameworks(request.user),
        },
    )


def version_detail(request, slug: str, number: int):
    version = get_object_or_404(
        selectors.version_with_content(selectors.versions_for(request.user)),
        framework__slug=slug,
        number=number,
    )
    return render(
        request,
        "frameworks/frameworkversion_detail.html",
        {
            "version": version,
            "can_edit": can_edit_frameworks(request.user),
            "scales": [
                (ScaleLevel.Scale(name).label, levels)
                for name, levels in selectors.scales_of(version).items()
            ],
        },
    )
