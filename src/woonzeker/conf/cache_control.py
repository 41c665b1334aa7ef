"""``Cache-Control: no-store, private`` on every answer that can hold personal data or a form's CSRF token."""

from django.conf import settings
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Nothing a signed-in user or an API token was answered is kept by a browser's or a proxy's cache: no case
    page in the back-button history of a shared computer, no API answer in a proxy. The rule is on the request,
    not on which view answered, so a new page cannot forget it: a request with a session cookie, an
    ``Authorization`` header or a signed-in user, an answer that starts a session, and an answer holding a
    CSRF token (a form, also the sign-in page's). What is left cacheable has neither: static files (served
    before this, by WhiteNoise in production), ``/healthz``, an anonymous visitor's pages without a form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _is_personal(request, response):
            patch_cache_control(response, no_store=True, private=True)
        return response


def _is_personal(request, response):
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return True
    user = getattr(request, "user", None)  # set by DRF too, once a token authenticated the request
    if user is not None and user.is_authenticated:
        return True
    return settings.SESSION_COOKIE_NAME in response.cookies or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
