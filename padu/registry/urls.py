from django.urls import path

from padu.registry import views

app_name = "registry"
urlpatterns = [
    path("desa/<str:code>/", views.desa, name="desa"),
    path("desa/<str:code>/ekspor.csv", views.desa_export, name="desa_export"),
    path("keluarga/<int:pk>/", views.keluarga, name="keluarga"),
    path("keluarga/<int:pk>/buka-kk/", views.keluarga_reveal_kk, name="keluarga_reveal_kk"),
    path("orang/<int:pk>/", views.orang, name="orang"),
    path("orang/<int:pk>/buka-nik/", views.orang_reveal_nik, name="orang_reveal_nik"),
    path("cari/", views.cari, name="cari"),
    path("cari/hasil/", views.cari_hasil, name="cari_hasil"),
]
