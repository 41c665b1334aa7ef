"""``Cache-Control: no-store, private`` on every answer that can hold personal data or a form's CSRF token."""

from django.conf import settings
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Nothing a signed-in user or an API token was answered is kept by a browser's or a proxy's cache: no case
    page in the back-button history of a shared computer, no API answer in a proxy. The rule is on the request,
    not on which view answered, so a new page cannot forget it: a request with a session cookie or an
    ``Authorization`` header (no one is signed in without one of the two), an answer that starts a session,
    and an answer holding a CSRF token (a form, also the sign-in page's). What is left cacheable has none of
    these: static files (served before this, by WhiteNoise in production), ``/healthz``, an anonymous
    visitor's pages without a form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _is_personal(request, response):
            patch_cache_control(response, no_store=True, private=True)
        return response


def _is_personal(request, response):
    # Not ``request.user``: reading it would touch the session, and add ``Vary: Cookie`` to every answer.
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return True
    return settings.SESSION_COOKIE_NAME in response.cookies or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
