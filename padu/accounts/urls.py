from django.urls import path

from padu.accounts import views

app_name = "accounts"
urlpatterns = [
    path("2fa/", views.two_factor, name="two_factor"),
    path("token/", views.tokens, name="tokens"),
    path("token/<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/ekspor.csv", views.audit_export, name="audit_export"),
]
