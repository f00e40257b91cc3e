"""Teams and the role a person holds in each (practitioner or supervisor)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in one team; roles are held per team."""

    class Role(models.TextChoices):
        PRACTITIONER = "practitioner", _("Practitioner")
        SUPERVISOR = "supervisor", _("Supervisor")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.PRACTITIONER
    )

    class Meta:
        ordering = ["team__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_one_role_per_team"),
            models.CheckConstraint(
                condition=models.Q(role__in=["practitioner", "supervisor"]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.team} ({self.get_role_display()})"


def team_roles_of(user) -> dict[int, str]:
    """team id -> role of a signed-in person, read once per user object (so once per
    request): the permission predicates and the visibility filter share it."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_hs_team_roles", None)
    if cached is None:
        # order_by(): the default ordering would join the teams and users for nothing.
        rows = Membership.objects.filter(user=user).order_by().values_list("team_id", "role")
        cached = user._hs_team_roles = dict(rows)
    return cached
