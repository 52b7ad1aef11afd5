from django.urls import URLPattern, URLResolver

app_name = "welfare"
urlpatterns: list[URLPattern | URLResolver] = []
