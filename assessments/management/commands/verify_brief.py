from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment
from assessments.workflow import latest_frozen, verify_frozen


class Command(BaseCommand):
    help = "Check that the frozen brief and snapshot of approved assessments match their SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Assessment ids (default: all).")

    def handle(self, *args, ids: list[int], **options):
        assessments = Assessment.objects.filter(frozen_briefs__isnull=False).distinct()
        if ids:
            assessments = assessments.filter(pk__in=ids)
            missing = set(ids) - set(assessments.values_list("pk", flat=True))
            if missing:
                raise CommandError(
                    "No frozen brief for assessment(s): " + ", ".join(map(str, sorted(missing)))
                )
        failed = 0
        for assessment in assessments.order_by("pk"):
            frozen = latest_frozen(assessment)
            result = verify_frozen(frozen)
            ok = all(result.values())
            failed += not ok
            state = "OK" if ok else "MISMATCH " + ", ".join(k for k, v in result.items() if not v)
            self.stdout.write(
                f"{assessment.pk}\t{state}\tpdf {frozen.pdf_sha256}\t{assessment.title}"
            )
        if failed:
            raise CommandError(f"{failed} frozen brief(s) do not match their recorded hash.")
