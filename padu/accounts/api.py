"""API tokens over the API: list, create, revoke one's own."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from padu.accounts import services
from padu.accounts.models import ApiToken, User
from padu.core.audit import client_ip

router = Router(tags=["akun"])


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    token: str


@router.get("/token", response=list[TokenOut], summary="Token API milik saya")
def token_list(request: HttpRequest):
    return ApiToken.objects.filter(user=cast(User, request.user))


@router.post("/token", response={201: TokenCreated}, summary="Buat token API (tampil sekali)")
def token_create(request: HttpRequest, payload: TokenIn):
    user = cast(User, request.user)
    try:
        token, key = services.api_token_create(
            actor=user, user=user, name=payload.name, ip_address=client_ip(request)
        )
    except services.AccountError as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": key})


@router.delete("/token/{token_id}", response=TokenOut, summary="Cabut token API")
def token_revoke(request: HttpRequest, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=cast(User, request.user))
    return services.api_token_revoke(actor=request.user, token=token, ip_address=client_ip(request))
