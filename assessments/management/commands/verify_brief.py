from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment, FrozenBrief
from assessments.review.freeze import verify_frozen


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
        frozen_briefs = FrozenBrief.objects.filter(assessment__in=assessments).select_related(
            "assessment"
        )
        # Every approval's brief, not only the latest: a reopened assessment keeps its
        # earlier frozen briefs on record and they must stay intact too.
        for frozen in frozen_briefs.order_by("assessment_id", "created_at", "id"):
            result = verify_frozen(frozen)
            ok = all(result.values())
            failed += not ok
            state = "OK" if ok else "MISMATCH " + ", ".join(k for k, v in result.items() if not v)
            self.stdout.write(
                f"{frozen.assessment_id}\t{state}\t{frozen.created_at:%Y-%m-%d %H:%M}\t"
                f"pdf {frozen.pdf_sha256}\t{frozen.assessment.title}"
            )
        if failed:
            raise CommandError(f"{failed} frozen brief(s) do not match their recorded hash.")
