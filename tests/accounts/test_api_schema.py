"""The OpenAPI document validates, and a property-based test (schemathesis) finds no server
errors and no responses that break the document, for a province-wide reader."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error, response_schema_conformance

from padu.wsgi import application
from tests.access_fixtures import build_world

pytestmark = pytest.mark.django_db


def test_openapi_document_is_valid(client: Any) -> None:
    document = client.get("/api/v1/openapi.json").json()
    validate(document)
    assert "/api/v1/register/keluarga" in document["paths"]
    assert document["components"]["securitySchemes"]


OWNED_ELSEWHERE = ("/api/v1/impor", "/api/v1/kesejahteraan", "/api/v1/kualitas", "/api/v1/linkage")


@pytest.fixture
def keep_test_connection() -> Any:
    """Calling the WSGI application directly would close the test's database connection at
    the end of each request (as Django's own test client prevents too)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_api_has_no_server_errors(keep_test_connection: Any) -> None:
    world = build_world()
    headers = {"Authorization": f"Bearer {world.tokens['tkpk-provinsi']}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an Err fails the test here
        if operation.path.startswith(OWNED_ELSEWHERE):
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=12, suppress_health_check=list(HealthCheck), deadline=None)
        def check(case: Any) -> None:
            case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance]
            )

        check()
        checked += 1
    assert checked >= 10
