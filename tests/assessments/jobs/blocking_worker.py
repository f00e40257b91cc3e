"""`manage.py jobs_worker --batch` whose brief renderer blocks: test_workers.py starts it
as a real process and kills it mid-job.

The renderer writes its process id to HSASSESS_TEST_FLAGS/renders.log when it starts,
then waits until HSASSESS_TEST_FLAGS/go exists (a minute at most) and returns a stand-in
PDF that names its process."""

from __future__ import annotations

import os
import time
from pathlib import Path


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsassess.settings")
    django.setup()
    from django.core.management import call_command

    from assessments.briefs import render
    from tests.standins import STAND_IN_PDF

    flags = Path(os.environ["HSASSESS_TEST_FLAGS"])

    def blocking_render(*, assessment, public=False, language=None) -> bytes:
        with (flags / "renders.log").open("a") as log:
            log.write(f"{os.getpid()}\n")
        deadline = time.monotonic() + 60
        while not (flags / "go").exists():
            if time.monotonic() > deadline:
                raise RuntimeError("never told to go on")
            time.sleep(0.05)
        return STAND_IN_PDF + f" rendered by {os.getpid()}".encode()

    render.render_brief_pdf = blocking_render
    call_command("jobs_worker", "--batch", "--interval=0.1")


if __name__ == "__main__":
    main()
