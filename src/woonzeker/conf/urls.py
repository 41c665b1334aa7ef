from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from woonzeker.accounts import language
from woonzeker.accounts.views import ForgottenPasswordView, NewPasswordView, SignInView
from woonzeker.conf import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("woonzeker.cases.urls")),
    path("aanleveringen/", include("woonzeker.ledgers.urls")),
    path("monitoring/", include("woonzeker.monitoring.urls")),
    path("api/v1/", include("woonzeker.api.urls")),
    path("meldingen/", include("woonzeker.notifications.urls")),
    path("privacy/", include("woonzeker.privacy.urls")),
    path("inloggen/", SignInView.as_view(), name="login"),
    path("inloggen/", include("woonzeker.accounts.urls")),
    path("inloggen/wachtwoord-vergeten/", ForgottenPasswordView.as_view(), name="password_reset"),
    path(
        "inloggen/wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path("inloggen/nieuw-wachtwoord/<uidb64>/<token>/", NewPasswordView.as_view(), name="password_reset_confirm"),
    path(
        "inloggen/nieuw-wachtwoord/klaar/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("beheer/", admin.site.urls),
]

handler500 = "woonzeker.conf.errors.server_error"

if settings.OIDC_ENABLED:
    # Signing in through the organisation's own identity provider (OpenID Connect).
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
