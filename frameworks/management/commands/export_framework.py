from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from frameworks.documents import dump
from frameworks.models import Framework, FrameworkVersion
from frameworks.selectors import version_document, version_with_content


class Command(BaseCommand):
    help = "Export one framework version as YAML (the latest version unless --version is given)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        # The interface names the option --version; Django's own --version (which
        # prints Django's version) gives way to it for this command.
        for action in list(parser._actions):
            if "--version" in action.option_strings:
                parser._handle_conflict_resolve(None, [("--version", action)])
        parser.add_argument("--version", dest="number", type=int, help="Version number.")
        parser.add_argument("--output", type=Path, help="Write to this file instead of stdout.")

    def handle(self, *args, slug: str, number: int | None, output: Path | None, **options):
        framework = Framework.objects.filter(slug=slug).first()
        if framework is None:
            raise CommandError(f"No framework with slug {slug!r}.")
        versions = version_with_content(FrameworkVersion.objects.filter(framework=framework))
        if number is not None:
            versions = versions.filter(number=number)
        version = versions.order_by("-number").first()
        if version is None:
            raise CommandError(f"{framework.name} has no version {number}.")
        text = dump(version_document(version))
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {framework.name} v{version.number} to {output}.")
