"""Security headers Django does not send itself."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """``Permissions-Policy``: browser features (camera, microphone, location, ...) no page of ours uses, off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
