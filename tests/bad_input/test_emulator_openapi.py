"""Schemathesis over the emulator's own OpenAPI document: every /api operation, with the bearer
key, answers without a server error and as the document declares (status code, content type,
headers, body schema), for generated valid (positive) and invalid (negative) requests.

No fault is injected, so no 5xx may occur. The /_emulator control routes are left out.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from pulumi_autocalls.emulator import EmulatorProcess
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

API_OPERATIONS = (
    "GET /api/user/me",
    "GET /api/user/phone-numbers/sip-trunks",
    "POST /api/user/phone-numbers/sip-trunks",
    "GET /api/user/phone-numbers/sip-trunks/{trunk_id}",
    "PUT /api/user/phone-numbers/sip-trunks/{trunk_id}",
    "DELETE /api/user/phone-numbers/{phone_number_id}",
)
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
CHECKS = {
    GenerationMode.POSITIVE: [*CONFORMANCE, ignored_auth],
    GenerationMode.NEGATIVE: [*CONFORMANCE, negative_data_rejection],
}
MAX_EXAMPLES = 30


@pytest.fixture(scope="module")
def api_schema(emulator_session: EmulatorProcess) -> schemathesis.BaseSchema:
    emulator_session.reset()
    schema = schemathesis.openapi.from_url(
        emulator_session.root_url + "/openapi.json", config=schemathesis.Config()
    )
    return schema.include(path_regex=r"^/api/").exclude(path_regex=r"^/_emulator")


def _labels(schema: schemathesis.BaseSchema) -> list[str]:
    labels = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        labels.append(result.ok().label)
    return labels


def test_the_document_declares_every_api_operation(api_schema: schemathesis.BaseSchema) -> None:
    assert sorted(_labels(api_schema)) == sorted(API_OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("label", API_OPERATIONS)
def test_every_response_is_declared_and_no_server_error(
    api_schema: schemathesis.BaseSchema,
    emulator_session: EmulatorProcess,
    label: str,
    mode: GenerationMode,
) -> None:
    emulator_session.reset()
    method, path = label.split(" ", 1)
    operation = api_schema[path][method]
    headers = {"Authorization": f"Bearer {emulator_session.api_keys[0]}"}
    statuses: list[int] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
    )
    def run(case: Any) -> None:
        response = case.call_and_validate(headers=headers, checks=CHECKS[mode])
        statuses.append(response.status_code)

    run()
    assert statuses, "no request was made"
    assert all(status < 500 for status in statuses), statuses
