from django.urls import path

from padu.asuh import views, views_anak, views_ota

app_name = "asuh"
urlpatterns = [
    path("", views.ringkasan, name="ringkasan"),
    path("wilayah/<str:kode>/", views.ringkasan, name="ringkasan_wilayah"),
    path("desa/<str:kode>/", views.desa, name="desa"),
    path("desa/<str:kode>/tambah/", views.tambah, name="tambah"),
    path("temuan/<int:pk>/putuskan/", views.putuskan, name="putuskan"),
    path("anak/<int:pk>/", views_anak.anak_detail, name="anak"),
    path("saya/", views_anak.saya, name="saya"),
    path("anak/<int:pk>/pantau/", views_ota.pantau, name="pantau"),
    path("daftar/", views_ota.daftar, name="daftar"),
    path("ota/", views_ota.ota_list, name="ota"),
    path("ota/<int:pk>/verifikasi/", views_ota.ota_verify, name="ota_verify"),
]
