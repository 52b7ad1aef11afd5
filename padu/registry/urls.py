from django.urls import path

from padu.registry import views

app_name = "registry"
urlpatterns = [
    path("desa/<str:code>/", views.desa, name="desa"),
    path("keluarga/<int:pk>/", views.keluarga, name="keluarga"),
]
