from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from frameworks.documents import MAX_BYTES, DocumentError, parse
from frameworks.services import framework_import


class Command(BaseCommand):
    help = "Import one framework version from a YAML file (see docs/framework-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--publish", action="store_true", help="Publish the version once loaded."
        )

    def handle(self, *args, path: Path, publish: bool, **options):
        if path.exists() and not path.is_file():
            raise CommandError(f"{path}: cannot read the file (not a regular file).")
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise CommandError(
                    f"{path}: {size} bytes is over the limit of 1 MB ({MAX_BYTES} bytes)."
                )
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror}).") from exc
        try:
            document = parse(raw)
            version, outcome = framework_import(document=document, publish=publish)
        except DocumentError as exc:
            raise CommandError(
                f"{path} is not a valid framework file; nothing was imported:\n  - "
                + "\n  - ".join(exc.problems)
            ) from exc
        except ValidationError as exc:
            raise CommandError(
                f"{path} was not imported:\n  - " + "\n  - ".join(exc.messages)
            ) from exc
        messages = {
            "created": "Imported",
            "replaced": "Replaced the draft with",
            "unchanged": "Already present and identical:",
            "translated": "Added the missing translations to",
        }
        self.stdout.write(
            f"{messages[outcome]} {version.framework.name} v{version.number} ({version.status})."
        )
