from django.urls import path

from woonzeker.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ddas/", views.ddas_export, name="ddas"),
    path("raadsrapportage-<int:year>.pdf", views.council_report, name="council_report"),
    path("export/<slug:key>.csv", views.export, {"extension": "csv"}, name="export_csv"),
    path("export/<slug:key>.xlsx", views.export, {"extension": "xlsx"}, name="export_xlsx"),
]
