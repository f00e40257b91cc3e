from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.demo import seed as demo


class Command(BaseCommand):
    help = (
        "Load the default framework, demo teams and accounts, and a sample assessment. "
        "Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (demo accounts have published passwords).",
        )

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: demo accounts with known passwords would be created. "
                "Use --force if this really is a demo server."
            )
        report = demo.seed()
        self.stdout.write(report.framework_line)
        self.stdout.write("Demo accounts (password for all: %s):" % demo.DEMO_PASSWORD)
        for username, description in report.accounts:
            self.stdout.write(f"  {username:<14} {description}")
        if report.sample_line:
            self.stdout.write(report.sample_line)
