from django.urls import path

from woonzeker.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.audit_search, name="audit_search"),
    path("inzage/<int:pk>/", views.access_request, name="access_request"),
]
