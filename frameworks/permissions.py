"""Who may do what with frameworks. Everyone signed in reads published versions; framework
admins (staff holding the frameworks permissions: the "Framework admins" group) and
superusers edit drafts, publish, import and export."""

from __future__ import annotations


def can_edit_frameworks(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("frameworks.change_frameworkversion")
    )
