"""The Django admin (`/beheer/`) behind the same door as the pages: password, then the second factor."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.urls import reverse


class AdminSite(admin.AdminSite):
    def has_permission(self, request):
        from woonzeker.accounts.second_factor import second_factor_done

        return super().has_permission(request) and second_factor_done(request)

    def login(self, request, extra_context=None):
        """One sign-in page for everyone: ours, with its second step."""
        from django.contrib.auth.views import redirect_to_login  # not at import: the app registry loads this module

        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


class AdminConfig(DjangoAdminConfig):
    default_site = "woonzeker.accounts.admin_site.AdminSite"
