"""Which language a person reads: Dutch, unless they chose English.

Pages never follow the browser's ``Accept-Language``: a signed-in person reads the language stored on their
account (``User.language``), a signed-out one Dutch, or the language chosen with the switch in the header (the
language cookie Django's ``set_language`` sets). The API is for machine clients and keeps its documented
rule: Dutch, ``Accept-Language: en`` for English.
"""

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.i18n import set_language as django_set_language

from woonzeker.accounts.models import Language

API_PREFIX = "/api/"


def language_for(request):
    """The language of the answer to ``request``."""
    if request.path.startswith(API_PREFIX):
        return translation.get_language_from_request(request)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in Language.values:
        return user.language
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in Language.values:
        return chosen
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activates ``language_for(request)`` for the request (in place of Django's ``LocaleMiddleware``, which
    follows the browser). After ``AuthenticationMiddleware``: it reads the account."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response


def set_language(request):
    """The header's language switch: Django's view (the cookie, for signed-out pages), and for a signed-in
    person the choice stored on their account, so it follows them to every browser."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    response = django_set_language(request)
    chosen = request.POST.get("language")
    if request.user.is_authenticated and chosen in Language.values and request.user.language != chosen:
        request.user.language = chosen
        request.user.save(update_fields=["language"])
    return response
