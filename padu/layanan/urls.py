from django.urls import path

from padu.layanan import views

app_name = "layanan"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("cek/", views.cek, name="cek"),
    path("usul/", views.usul, name="usul"),
    path("sanggah/", views.sanggah, name="sanggah"),
    path("lacak/", views.lacak, name="lacak"),
]
