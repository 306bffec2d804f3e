"""A schema-based fuzz of the API (schemathesis): every operation of the OpenAPI document is
called with generated input, as an admin; no answer may be a server error, and every status
must be one the document declares for that operation. Bounded: a few examples an operation,
the same ones on every run. On SQLite and PostgreSQL.

Operations are walked here rather than through schemathesis's pytest fixture loader, which
reads a private attribute pytest 9 no longer has."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from proctor.access.tokens import Role
from proctor.api.app import create_app
from proctor.cases import whistleblowing
from tests.support.world import FakeReader, issue, service_settings

EXAMPLES = 8  # an operation: about 600 requests in all
CHECKS = [not_a_server_error, status_code_conformance]


def test_no_server_error_and_no_undeclared_status(migrated: str, tmp_path):
    # Configured as a deployment is: a custodian key (else a report with an identity is a 503,
    # rightly) and the WhatsApp gateway's secret.
    _, custodian = whistleblowing.generate_custodian_keys()
    deployed = service_settings(
        migrated, tmp_path, custodian_public_key=custodian, whatsapp_webhook_secret="hook-secret"
    )
    app = create_app(deployed, reader=FakeReader())
    headers = {"Authorization": f"Bearer {issue(migrated, Role.ADMIN)}"}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 70

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        call()
