from django.urls import path

from woonzeker.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("dossiers/<int:pk>/", views.case_detail, name="detail"),
    path("dossiers/<int:pk>/<slug:move>/", views.perform_move, name="move"),
    path("signalen/nieuw/", views.new_signal, name="new_signal"),
    path("aanmelden/", views.refer_resident, name="refer_resident"),
]
