from django.urls import path

from woonzeker.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("dossiers/<int:pk>/", views.case_detail, name="detail"),
]
