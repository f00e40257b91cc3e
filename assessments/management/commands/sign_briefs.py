from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.models import FrozenBrief
from assessments.review.freeze import sign, verify_frozen


class Command(BaseCommand):
    help = (
        "Sign the frozen briefs made before briefs were signed, once their SHA-256 are "
        "checked; with --rotate, also re-sign those signed with an older key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Re-sign briefs whose signature holds under an older key of "
            "BRIEF_SIGNING_KEYS with the first key, so the older key can be dropped.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be signed; change nothing."
        )

    def handle(self, *args, rotate: bool, dry_run: bool, **options):
        signed = refused = 0
        for pk in FrozenBrief.objects.order_by("id").values_list("pk", flat=True):
            with transaction.atomic():
                frozen = FrozenBrief.objects.select_for_update().get(pk=pk)
                check = verify_frozen(frozen)
                old_key = check.ok and check.key_index != 0
                if check.unsigned or (rotate and old_key):
                    action = "would sign" if dry_run else "signed"
                    if not dry_run:
                        frozen.signature = sign(frozen)
                        frozen.save(update_fields=["signature"])
                    signed += 1
                elif check.ok:
                    action = "ok (old key: sign again with --rotate)" if old_key else "ok"
                else:
                    # A brief that fails its check is never signed: that would bless
                    # whatever changed it.
                    action = "REFUSED " + ", ".join(check.problems)
                    refused += 1
            self.stdout.write(f"{frozen.pk}\t{frozen.assessment_id}\t{action}")
        self.stdout.write(f"{signed} brief(s) {'to sign' if dry_run else 'signed'}.")
        if refused:
            raise CommandError(
                f"{refused} frozen brief(s) fail their check and were not signed; "
                "`manage.py verify_brief` lists them."
            )
