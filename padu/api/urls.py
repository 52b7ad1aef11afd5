"""Ninja root: mounts each app's ``api.py`` router under ``/api/v1/``, nothing else.

Every endpoint requires a token or a logged-in session (``auth=api_auth``: fails closed, a
router added later is protected without asking) and is rate limited per user."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from padu.accounts.api import router as accounts_router
from padu.api.auth import api_auth
from padu.dampingan.api import router as dampingan_router
from padu.danadesa.api import router as danadesa_router
from padu.intake.api import router as intake_router
from padu.linkage.api import router as linkage_router
from padu.quality.api import router as quality_router
from padu.registry.api import router as registry_router
from padu.verval.api import router as verval_router
from padu.welfare.api import router as welfare_router
from padu.wilayah.api import router as wilayah_router

api = NinjaAPI(
    title="Padu API",
    version="1",
    urls_namespace="api",
    description="API Padu: data keluarga dan anggota keluarga sesuai hak akses pengguna.",
    auth=api_auth,
    throttle=[
        AnonRateThrottle(settings.PADU_API_ANON_RATE),
        AuthRateThrottle(settings.PADU_API_RATE),
    ],
)
api.add_router("/wilayah", wilayah_router)
api.add_router("/akun", accounts_router)
api.add_router("/danadesa", danadesa_router)
api.add_router("/register", registry_router)
api.add_router("/kualitas", quality_router)
api.add_router("/linkage", linkage_router)
api.add_router("/kesejahteraan", welfare_router)
api.add_router("/impor", intake_router)
api.add_router("/verval", verval_router)
api.add_router("/dampingan", dampingan_router)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": "Token API tidak ada atau tidak berlaku. Kirim header "
            "'Authorization: Bearer <token>'; buat token di /akun/token/."
        },
        status=401,
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc)
    if exc.status_code == 429:
        detail = "Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi."
    return api.create_response(request, {"detail": detail}, status=exc.status_code)
