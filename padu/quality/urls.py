from django.urls import URLPattern, URLResolver, path

from padu.quality import views

app_name = "quality"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("wilayah/<str:code>/", views.region, name="region"),
    path("desa/<str:code>/", views.desa, name="desa"),
    path("desa/<str:code>/daftar.xlsx", views.desa_xlsx, name="desa_xlsx"),
    path("aturan/", views.rules, name="rules"),
    path("periksa/", views.run_check, name="run_check"),
]
