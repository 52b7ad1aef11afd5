from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest
from django.urls import include, path

from padu.accounts import access
from padu.api.urls import api

admin.site.site_header = "Administrasi Padu"
admin.site.site_title = "Padu"
admin.site.index_title = "Data dan pengaturan"


def _admin_site_permission(request: HttpRequest) -> bool:
    """Staff, or an admin provinsi (who manages users without Django's staff flag)."""
    user = request.user
    return bool(user.is_active and (user.is_staff or access.can_manage_users(user)))


admin.site.has_permission = _admin_site_permission  # type: ignore[method-assign]

urlpatterns = [
    path("", include("padu.dashboard.urls")),
    path("registry/", include("padu.registry.urls")),
    path("impor/", include("padu.intake.urls")),
    path("kualitas/", include("padu.quality.urls")),
    path("linkage/", include("padu.linkage.urls")),
    path("kesejahteraan/", include("padu.welfare.urls")),
    path("verval/", include("padu.verval.urls")),
    path("danadesa/", include("padu.danadesa.urls")),
    path("layanan/", include("padu.layanan.urls")),
    path("dampingan/", include("padu.dampingan.urls")),
    path("asuh/", include("padu.asuh.urls")),
    path("akun/", include("padu.accounts.urls")),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
