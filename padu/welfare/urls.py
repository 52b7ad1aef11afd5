from django.urls import URLPattern, URLResolver, path

from padu.welfare import views

app_name = "welfare"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("unggah/", views.upload, name="upload"),
    path("model/<int:pk>/aktifkan/", views.activate, name="activate"),
    path("model/<int:pk>/pratinjau/", views.preview, name="preview"),
]
