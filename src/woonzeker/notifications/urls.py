from django.urls import path

from woonzeker.notifications import views

app_name = "notifications"
urlpatterns = [path("", views.notifications, name="list")]
