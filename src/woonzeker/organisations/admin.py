from django.contrib import admin

from woonzeker.accounts.admin import FunctionalAdminOnly
from woonzeker.organisations.models import Municipality, Organisation, ServiceArea


@admin.register(Municipality)
class MunicipalityAdmin(FunctionalAdminOnly, admin.ModelAdmin):
    list_display = ["name", "cbs_code"]


class ServiceAreaInline(FunctionalAdminOnly, admin.TabularInline):
    model = ServiceArea
    fk_name = "team"
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(FunctionalAdminOnly, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    inlines = [ServiceAreaInline]

    def get_readonly_fields(self, request, obj=None):
        # Nobody changes what their own organisation is (a municipality made a corporation, say); and what an
        # organisation with users is stays as it is: its kind decides which cases they read, so turning a
        # municipality whose accounts were activated as harmless into a social team would hand them case files
        # without a second administrator's word. Such an organisation is made anew, its accounts moved (four eyes).
        if obj is not None and (obj.pk == request.user.organisation_id or obj.users.exists()):
            return ["kind", "municipality"]
        return []


@admin.register(ServiceArea)
class ServiceAreaAdmin(FunctionalAdminOnly, admin.ModelAdmin):
    list_display = ["team", "municipality", "postcode_from", "postcode_to", "name"]
    list_filter = ["municipality"]
