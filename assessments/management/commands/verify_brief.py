from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment, FrozenBrief
from assessments.review.freeze import verify_frozen


class Command(BaseCommand):
    help = (
        "Check that the frozen briefs and snapshots of approved assessments match their "
        "SHA-256 and their signature (BRIEF_SIGNING_KEYS)."
    )

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
        failed = unsigned = 0
        frozen_briefs = FrozenBrief.objects.filter(assessment__in=assessments).select_related(
            "assessment"
        )
        # Every approval's brief, not only the latest: a reopened assessment keeps its
        # earlier frozen briefs on record and they must stay intact too.
        for frozen in frozen_briefs.order_by("assessment_id", "created_at", "id"):
            check = verify_frozen(frozen)
            if check.ok:
                state = "OK" if check.key_index == 0 else f"OK (old key {check.key_index + 1})"
            elif check.unsigned:
                state = "UNSIGNED"
                unsigned += 1
            else:
                state = "MISMATCH " + ", ".join(check.problems)
                failed += 1
            self.stdout.write(
                f"{frozen.assessment_id}\t{state}\t{frozen.created_at:%Y-%m-%d %H:%M}\t"
                f"pdf {frozen.pdf_sha256}\t{frozen.assessment.title}"
            )
        problems = []
        if failed:
            problems.append(f"{failed} frozen brief(s) do not match their hash or signature.")
        if unsigned:
            problems.append(
                f"{unsigned} frozen brief(s) are not signed yet: `manage.py sign_briefs` "
                "signs those whose hashes match."
            )
        if problems:
            raise CommandError(" ".join(problems))
