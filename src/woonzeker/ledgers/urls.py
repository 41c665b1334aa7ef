from django.urls import path

from woonzeker.ledgers import views

app_name = "ledgers"
urlpatterns = [
    path("", views.ledger_imports, name="list"),
    path("<int:pk>/", views.ledger_import_detail, name="detail"),
]
