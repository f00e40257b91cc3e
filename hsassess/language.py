"""The language follows the person (issue 11): before sign-in, the switch (a cookie) and
then the browser's Accept-Language, as Django's LocaleMiddleware guesses; once signed in,
the language on the person's profile (their notification settings' language, which their
emails use too), which the switch also saves.

The preference is read once per session and kept in it, so a page costs no extra query;
a change made here updates the session at once."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.utils import translation
from django.views.i18n import set_language as django_set_language

SESSION_KEY = "_hs_language"  # [user id, language or ""]


def _codes() -> dict:
    return dict(settings.LANGUAGES)


def remember(request, language: str) -> None:
    """Keep the signed-in person's preference in their session ("" for none)."""
    request.session[SESSION_KEY] = [request.user.pk, language]


def preferred_language(request) -> str:
    """The signed-in person's language preference, or "" when they have none."""
    kept = request.session.get(SESSION_KEY)
    if isinstance(kept, list) and len(kept) == 2 and kept[0] == request.user.pk:
        return kept[1] if kept[1] in _codes() else ""
    from assessments.notifications.selectors import settings_of

    language = settings_of(request.user).language
    remember(request, language)
    return language if language in _codes() else ""


class PersonLanguageMiddleware:
    """After LocaleMiddleware and AuthenticationMiddleware: a signed-in person's own
    language beats the cookie and Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            language = preferred_language(request)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


@login_not_required
def set_language(request):
    """Django's language switch (the cookie, back to `next`), which also saves the
    choice on the profile of a signed-in person, so it follows them to other devices."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in _codes():
        from assessments.notifications.services import language_preference_save

        language_preference_save(user=request.user, language=language)
        remember(request, language)
    return response
