"""Template context shared by every page: which navigation links the user's roles allow."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from padu.accounts import access


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "personal": access.sees_personal_data(user),
            "audit": access.can_view_audit(user),
            "users": access.can_manage_users(user),
        }
    }
