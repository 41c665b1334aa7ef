from django.urls import path

from woonzeker.accounts import views

app_name = "accounts"
urlpatterns = [
    path("code/", views.verify, name="verify"),
    path("tweede-stap/", views.enrol, name="enrol"),
    path("reservecodes/", views.backup_codes, name="backup_codes"),
]
