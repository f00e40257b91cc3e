import pytest


@pytest.fixture(autouse=True)
def _static_files_from_finders(settings):
    # Tests run with DEBUG off and no collectstatic, so WhiteNoise would warn (an error
    # under filterwarnings=error) that STATIC_ROOT is missing on the first request.
    # Serve from the finders, as in development. Belongs in tests/conftest.py; see report.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
