from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.interchange.importer import import_assessment
from assessments.interchange.reading import read_json
from assessments.models import Team

MAX_BYTES = 10 * 1024 * 1024


class Command(BaseCommand):
    help = "Load an assessment exported as export.json into this instance, as a new draft."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--owner", help="Username of the owner here (default: as exported).")
        parser.add_argument("--team", help="Slug of the team here (default: as exported).")

    def handle(self, *args, path: Path, owner: str | None, team: str | None, **options):
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"{path}: over the limit of {MAX_BYTES} bytes.")
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror}).") from exc
        try:
            document = read_json(raw)
        except ValidationError as exc:
            raise CommandError(f"{path}: {exc.messages[0]} Nothing changed.") from exc
        owner_obj = team_obj = None
        if owner:
            owner_obj = get_user_model().objects.filter(username=owner).first()
            if owner_obj is None:
                raise CommandError(f"No user {owner!r}.")
        if team:
            team_obj = Team.objects.filter(slug=team).first()
            if team_obj is None:
                raise CommandError(f"No team {team!r}.")
        try:
            assessment = import_assessment(document=document, owner=owner_obj, team=team_obj)
        except ValidationError as exc:
            raise CommandError(
                f"{path} was not imported; nothing changed:\n  - " + "\n  - ".join(exc.messages)
            ) from exc
        self.stdout.write(
            f"Imported “{assessment.title}” as assessment {assessment.pk} (draft) "
            f"for team {assessment.team.slug}, owner {assessment.owner.get_username()}."
        )
