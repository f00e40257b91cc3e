"""Admin pages live beside their concern; Django discovers this module."""

from assessments.teams import admin  # noqa: F401
