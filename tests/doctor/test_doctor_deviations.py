"""``pulumi-autocalls doctor --write`` against an API that differs from its documentation in one
way at a time (a proxy in front of the emulator): the difference is reported on the right lines,
with the provider behaviour it affects, the other lines match, and the throwaway trunk is gone
afterwards, whatever failed."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from deviating_api import Answer, Deviation, Forward, Request, deviating_api, trunk_objects
from doctor_run import Run, run_doctor, trunks_state
from pulumi_autocalls.emulator import EmulatorProcess

UPDATES = {
    "update phone_number": "`phone_number`",
    "update nickname": "`nickname`",
    "update sip_username": "`sip_username`",
    "update sip_password": "`sip_password`",
    "update sip_address": "`sip_address`",
    "update sip_calling_format": "`sip_calling_format`",
    "update country_code": "`country_code`",
    "update outbound_proxy": "`outbound_proxy`",
    "same phone_number": "`phone_number`",
    "clear nickname": "`nickname`",
    "switch to ip": "`inbound_authorization_type`, `allowed_inbound_ips`",
    "update allowed_inbound_ips": "`allowed_inbound_ips`",
    "switch to auth": "`inbound_authorization_type`",
}
"""The checks that send an update, and the fields each sends."""
TRUNK_ANSWERS = ["create", "read back", *UPDATES]
"""The checks whose answer carries the throwaway trunk."""
Expected = dict[str, list[tuple[str, str, bool]]]
"""For each differing check, its deviations: (seen, consequence, provider still ok)."""

ANY_STATUS = "the provider accepts any success status"
CHECKED_FIRST = (
    "the provider checks this rule itself before sending, and shows the API's message as it comes"
)
WORDS = (
    "the provider tells errors apart by their status alone; only its messages, which quote the "
    "API, would read differently"
)
UNKNOWN = (
    "unknown fields `recording_enabled`",
    "the provider ignores them; the field table does not know them, so programs cannot set them",
    True,
)
NICKNAME_UNSET = (
    "`nickname` missing",
    "the provider would read `nickname` as unset: a trunk that sets it would show a change on "
    "every preview",
    False,
)


def created_with_200(request: Request, forward: Forward) -> Answer:
    answer = forward(request)
    if request.method == "POST" and answer.status == 201:
        answer.status = 200
    return answer


def outbound_trunk_never_recreated(request: Request, forward: Forward) -> Answer:
    answer = forward(request)
    for trunk in trunk_objects(answer.body):
        if "outbound_trunk_id" in trunk:
            trunk["outbound_trunk_id"] = "ST_kept0000000"
    return answer


_RENEWALS = itertools.count()


def inbound_trunk_recreated_by_every_update(request: Request, forward: Forward) -> Answer:
    answer = forward(request)
    if request.method == "PUT":
        for trunk in trunk_objects(answer.body):
            trunk["inbound_trunk_id"] = f"ST_renewed{next(_RENEWALS):04d}"
    return answer


def extra_field(request: Request, forward: Forward) -> Answer:
    answer = forward(request)
    for trunk in trunk_objects(answer.body):
        trunk["recording_enabled"] = False
    return answer


def no_nickname(request: Request, forward: Forward) -> Answer:
    answer = forward(request)
    for trunk in trunk_objects(answer.body):
        trunk.pop("nickname", None)
    return answer


def reworded_404(request: Request, forward: Forward) -> Answer:
    answer = forward(request)
    if answer.status == 404 and "/sip-trunks/" in request.path:
        answer.body = {"error": "Not found."}
    return answer


def patch_only(request: Request, forward: Forward) -> Answer:
    if request.method == "PUT":
        route = request.path.removeprefix("/")
        message = (
            f"The PUT method is not supported for route {route}. Supported methods: GET, HEAD, "
            "PATCH, DELETE."
        )
        return Answer(405, {"message": message}, {"Allow": "GET, HEAD, PATCH, DELETE"})
    return forward(request)


def updated_without_data(request: Request, forward: Forward) -> Answer:
    answer = forward(request)
    if request.method == "PUT" and answer.status == 200:
        answer.body.pop("data")
    return answer


@dataclass(frozen=True)
class Case:
    deviation: Deviation
    expected: Callable[[int], Expected]
    """The deviations of each differing check, given the id of the user's trunk."""
    not_run: tuple[str, ...] = ()
    """The checks the deviation leaves nothing to run for."""


def _recreations(_users_trunk: int) -> Expected:
    return {
        f"update {field}": [
            (
                "outbound trunk id kept",
                f"the re-provisioning table says `{field}` re-creates the outbound trunk: "
                "previews would announce a re-creation that does not happen",
                True,
            )
        ]
        for field in (
            "phone_number",
            "sip_username",
            "sip_password",
            "sip_address",
            "outbound_proxy",
        )
    }


def _unannounced(_users_trunk: int) -> Expected:
    expected: Expected = {
        name: [
            (
                "new inbound trunk id",
                f"previews would not announce that a change of {UPDATES[name]} re-creates the "
                "inbound trunk (its calls may drop without warning)",
                False,
            )
        ]
        for name in (
            "update nickname",
            "update sip_address",
            "update sip_calling_format",
            "update country_code",
            "update outbound_proxy",
            "clear nickname",
        )
    }
    expected["same phone_number"] = [
        (
            "new inbound trunk id",
            "the provider never sends a value that did not change, so it is unaffected; but the "
            "table's rows hold for any field sent, changed or not",
            True,
        )
    ]
    return expected


def _on_every_trunk(
    listed: tuple[str, str, bool], read: tuple[str, str, bool], *, skipped: str = ""
) -> Callable[[int], Expected]:
    """``listed`` on the list (naming the user's trunk), ``read`` on every other answer that
    carries a trunk (but the ``skipped`` check's)."""

    def expected(users_trunk: int) -> Expected:
        seen, consequence, provider_ok = listed
        return {
            "list": [(f"{seen} (trunks {users_trunk})", consequence, provider_ok)],
            f"get {users_trunk}": [read],
        } | {name: [read] for name in TRUNK_ANSWERS if name != skipped}

    return expected


def _patch_only(_users_trunk: int) -> Expected:
    refused = (
        "405 Method Not Allowed: The PUT method is not supported for route "
        "api/user/phone-numbers/sip-trunks/{id}. Supported methods: GET, HEAD, PATCH, DELETE. "
        "(Allow: GET, HEAD, PATCH, DELETE)"
    )
    expected: Expected = {
        name: [
            (refused, f"the provider could not change {fields} in place: `pulumi up` fails", False)
        ]
        for name, fields in UPDATES.items()
        if name not in ("update allowed_inbound_ips", "switch to auth")
    }
    expected["refuse allowed_inbound_ips"] = [
        ("405 Method Not Allowed instead of 422", CHECKED_FIRST, True)
    ]
    return expected


CASES = {
    "created with 200": Case(
        created_with_200, lambda _: {"create": [("200 OK instead of 201", ANY_STATUS, True)]}
    ),
    "a voice trunk id kept where the table re-creates it": Case(
        outbound_trunk_never_recreated, _recreations
    ),
    "a voice trunk id renewed where the table keeps it": Case(
        inbound_trunk_recreated_by_every_update, _unannounced
    ),
    "an extra field": Case(extra_field, _on_every_trunk(UNKNOWN, UNKNOWN)),
    "a missing field": Case(
        no_nickname,
        _on_every_trunk(
            (
                "no `nickname`",
                "the provider does not read it from the list (only adopt does)",
                True,
            ),
            NICKNAME_UNSET,
            skipped="clear nickname",
        ),
        not_run=("clear nickname",),
    ),
    "a differently worded 404": Case(
        reworded_404,
        lambda _: {name: [("error 'Not found.'", WORDS, True)] for name in ("not found", "gone")},
    ),
    "PATCH-only updates": Case(
        patch_only, _patch_only, not_run=("update allowed_inbound_ips", "switch to auth")
    ),
    "update answers without data": Case(
        updated_without_data,
        lambda _: {
            name: [
                (
                    "no `data`",
                    "the update may have been made, but the provider would fail to read the new "
                    "voice trunk ids (`pulumi up` fails)",
                    False,
                )
            ]
            for name in UPDATES
        },
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_each_deviation_is_reported_on_its_lines(
    clean_emulator: EmulatorProcess, users_trunk: int, case: Case
) -> None:
    before = trunks_state(clean_emulator)

    with deviating_api(clean_emulator, case.deviation) as api:
        run = run_doctor("--write", "--yes", "--json", base_url=api.base_url)

    assert run.returncode == 1, run.stdout + run.stderr
    assert _deviations(run) == case.expected(users_trunk)
    assert {name for name in run.differing if run.checks[name]["not_run"]} == set(case.not_run)
    assert run.checks["cleanup"]["matched"]
    assert trunks_state(clean_emulator) == before


def _deviations(run: Run) -> Expected:
    """The deviations of each check that ran and differs, the throwaway trunk's id as ``{id}``."""
    return {
        name: [
            (
                re.sub(r"sip-trunks/\d+", "sip-trunks/{id}", d["seen"]),
                d["consequence"],
                d["provider_ok"],
            )
            for d in check["deviations"]
        ]
        for name, check in run.checks.items()
        if check["deviations"]
    }


def test_a_value_outside_the_field_table_is_reported_without_other_values(
    clean_emulator: EmulatorProcess, users_trunk: int
) -> None:
    def upper_case_format(request: Request, forward: Forward) -> Answer:
        answer = forward(request)
        for trunk in trunk_objects(answer.body):
            trunk["sip_calling_format"] = "E164"
        return answer

    with deviating_api(clean_emulator, upper_case_format) as api:
        run = run_doctor("--json", base_url=api.base_url)

    assert run.returncode == 1
    outside = (
        "sip_calling_format 'E164'",
        'the field table allows only one of "+e164", "e164", "national": a trunk with this value '
        "could not be adopted, and a refresh would show a change",
        False,
    )
    assert _deviations(run) == {
        "list": [(f"{outside[0]} (trunks {users_trunk})", *outside[1:])],
        f"get {users_trunk}": [outside],
    }
    # The user's own values (phone number, username, address) never reach the report.
    for value in ("1000", "myuser", "sip.provider.com", "Provider X"):
        assert value not in run.stdout
