from django.urls import path

from padu.dampingan import views

app_name = "dampingan"
urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("mitra/", views.mitra_list, name="mitra"),
    path("mitra/<int:pk>/", views.mitra_detail, name="mitra_detail"),
    path("desa/<str:kode>/", views.desa, name="desa"),
    path("intervensi/<int:pk>/status/", views.intervensi_status, name="intervensi_status"),
    path("penugasan/<int:pk>/laporan/", views.laporan, name="laporan"),
]
