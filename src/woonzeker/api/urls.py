from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import SimpleRouter

from woonzeker.api import views

router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("ledgers", views.LedgerViewSet, basename="ledger")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Redoc writes its styles into the page as it draws it; this page shows no personal data.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    re_path(r"^(?P<path>(?s:.*))$", views.not_found),  # (?s): a path with a line break is an API 404 too
]
