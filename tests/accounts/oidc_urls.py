"""The site's URLs with the OpenID Connect routes, as when OIDC_RP_CLIENT_ID is set."""

from django.urls import include, path

from woonzeker.conf.urls import urlpatterns as site

urlpatterns = [*site, path("oidc/", include("mozilla_django_oidc.urls"))]
