from django.urls import URLPattern, URLResolver

app_name = "intake"
urlpatterns: list[URLPattern | URLResolver] = []
