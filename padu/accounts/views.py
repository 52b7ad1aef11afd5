"""Account pages: second factor (TOTP), personal API tokens, the audit log for admins."""

from __future__ import annotations

import base64
import csv
import io
from typing import cast

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from padu.accounts import services
from padu.accounts.access import can_view_audit
from padu.accounts.models import ApiToken, User
from padu.accounts.selectors import audit_entries
from padu.core.audit import audit_request, client_ip


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return "/"


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Confirm a TOTP code; set up the authenticator first if the user has none."""
    user = cast(User, request.user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Padu", confirmed=False)
    error = ""
    if request.method == "POST":
        code = "".join(ch for ch in request.POST.get("kode", "") if ch.isdigit())
        if code and device.verify_token(code):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_request(request, "login.2fa", user, detail={"pendaftaran": enrolling})
            return redirect(_next(request))
        error = _(
            "Kode tidak cocok. Masukkan 6 angka yang sedang tampil di aplikasi autentikator; "
            "pastikan jam ponsel tepat."
        )
    context = {"enrolling": enrolling, "error": error, "next": _next(request)}
    if enrolling:
        context["qr"] = _qr_data_uri(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor.html", context)


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: create one (shown once), list, revoke."""
    new_key = ""
    user = cast(User, request.user)
    if request.method == "POST":
        try:
            _token, new_key = services.api_token_create(
                actor=user,
                user=user,
                name=request.POST.get("nama", ""),
                ip_address=client_ip(request),
            )
        except services.AccountError as exc:
            messages.error(request, str(exc))
    rows = ApiToken.objects.filter(user=user)
    return render(request, "accounts/tokens.html", {"tokens": rows, "new_key": new_key})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user_id=request.user.pk)
    services.api_token_revoke(actor=request.user, token=token, ip_address=client_ip(request))
    messages.success(request, _("Token %(nama)s dicabut.") % {"nama": token.name})
    return redirect("accounts:tokens")


def _audit_filters(request: HttpRequest) -> dict[str, str]:
    keys = ("pengguna", "tindakan", "wilayah", "dari", "sampai", "objek")
    return {k: request.GET.get(k, "").strip() for k in keys}


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not can_view_audit(request.user):
        raise PermissionDenied(_("Hanya admin provinsi yang boleh membuka catatan audit."))
    filters = _audit_filters(request)
    page = Paginator(audit_entries(filters), 50).get_page(request.GET.get("hal"))
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(
        request, "accounts/audit.html", {"page": page, "filters": filters, "query": query}
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered audit log as CSV; the export itself is audited."""
    if not can_view_audit(request.user):
        raise PermissionDenied(_("Hanya admin provinsi yang boleh mengekspor catatan audit."))
    filters = _audit_filters(request)
    rows = audit_entries(filters)
    audit_request(
        request, "audit.export", detail={"filter": {k: v for k, v in filters.items() if v}}
    )
    writer = csv.writer(_Echo())
    header = [
        "waktu",
        "pengguna",
        "tindakan",
        "jenis_objek",
        "id_objek",
        "kode_wilayah",
        "alamat_ip",
    ]

    def lines():
        yield writer.writerow(header)
        for e in rows.iterator(chunk_size=2000):
            who = e.actor.get_username() if e.actor else "sistem"
            yield writer.writerow(
                [e.at.isoformat(), who, e.action, e.object_type, e.object_id, e.region_code,
                 e.ip_address or ""]
            )  # fmt: skip

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-padu.csv"'
    return response
