from django.urls import path

from padu.dashboard import map_views, views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("wilayah/<str:code>/", views.kabupaten, name="kabupaten"),
    path("wilayah/kecamatan/<str:code>/", views.kecamatan, name="kecamatan"),
    path("wilayah/desa/<str:code>/", views.desa, name="desa"),
    path("dasbor/", map_views.dasbor, name="dasbor"),
    path("dasbor/<str:code>/", map_views.dasbor, name="dasbor_wilayah"),
    path("dasbor/<str:code>/laporan/", map_views.laporan, name="dasbor_laporan"),
]
