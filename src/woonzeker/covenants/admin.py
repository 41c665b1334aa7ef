from django.contrib import admin

from woonzeker.accounts.admin import FunctionalAdminOnly
from woonzeker.covenants.models import Covenant


@admin.register(Covenant)
class CovenantAdmin(FunctionalAdminOnly, admin.ModelAdmin):
    list_display = ["name", "region", "starts_on", "ends_on", "referral_term_days", "analysis_term_days"]
    filter_horizontal = ["municipalities", "parties"]
