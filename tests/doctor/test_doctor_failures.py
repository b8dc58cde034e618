"""``pulumi-autocalls doctor`` when things go wrong: a step fails midway, the created trunk cannot
be read, Ctrl-C, a refused key, no key, no API. The throwaway trunk is deleted every time, and
the exit status says what happened."""

from __future__ import annotations

import signal
import subprocess
import threading

from deviating_api import Answer, Forward, Request, deviating_api, trunk_objects
from doctor_run import COMMAND, Run, doctor_env, run_doctor, trunks_state
from pulumi_autocalls.emulator import EmulatorProcess

EXPECTED_AFTER_INTERRUPTION = ["key", "list", "get {id}", "not found", "create", "read back"]


def test_a_step_that_fails_midway_is_reported_and_the_walk_goes_on(
    clean_emulator: EmulatorProcess, users_trunk: int
) -> None:
    def failing_address_change(request: Request, forward: Forward) -> Answer:
        if request.method == "PUT" and "sip_address" in (request.body or {}):
            message = "Failed to update SIP trunk. Please try again or contact support."
            return Answer(500, {"error": message})
        return forward(request)

    before = trunks_state(clean_emulator)
    with deviating_api(clean_emulator, failing_address_change) as api:
        run = run_doctor("--write", "--yes", "--json", base_url=api.base_url)

    assert run.returncode == 1, run.stdout + run.stderr
    assert run.differing == {"update sip_address"}
    assert run.checks["update sip_address"]["deviations"] == [
        {
            "seen": "500 Internal Server Error: Failed to update SIP trunk. Please try again or "
            "contact support.",
            "consequence": "the provider could not change `sip_address` in place: `pulumi up` "
            "fails",
            "provider_ok": False,
        }
    ]
    assert run.checks["delete"]["matched"] and run.checks["cleanup"]["matched"]
    assert trunks_state(clean_emulator) == before


def test_a_created_trunk_the_client_cannot_read_is_still_deleted(
    clean_emulator: EmulatorProcess, users_trunk: int
) -> None:
    def no_country_code(request: Request, forward: Forward) -> Answer:
        answer = forward(request)
        for trunk in trunk_objects(answer.body):
            trunk.pop("country_code", None)
        return answer

    before = trunks_state(clean_emulator)
    with deviating_api(clean_emulator, no_country_code) as api:
        run = run_doctor("--write", "--yes", "--json", base_url=api.base_url)

    assert run.returncode == 1, run.stdout + run.stderr
    unreadable = "the provider would fail to read the trunk (create, refresh and update would fail)"
    assert run.checks["create"]["deviations"] == [
        {"seen": "no `country_code`", "consequence": unreadable, "provider_ok": False}
    ]
    # The provider's delete reads the trunk first, so it fails too; the doctor's cleanup does not.
    assert run.checks["delete"]["deviations"][0]["consequence"] == "`pulumi destroy` would fail"
    assert run.checks["cleanup"]["matched"]
    assert trunks_state(clean_emulator) == before


def test_ctrl_c_deletes_the_throwaway_trunk(
    clean_emulator: EmulatorProcess, users_trunk: int
) -> None:
    arrived, release = threading.Event(), threading.Event()

    def stalled_update(request: Request, forward: Forward) -> Answer:
        if request.method == "PUT" and not arrived.is_set():
            arrived.set()
            release.wait(30)
        return forward(request)

    before = trunks_state(clean_emulator)
    with deviating_api(clean_emulator, stalled_update) as api:
        process = subprocess.Popen(
            [str(COMMAND), "doctor", "--write", "--yes", "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=doctor_env(api.base_url),
        )
        try:
            assert arrived.wait(60), "the doctor never sent an update"
            process.send_signal(signal.SIGINT)
            release.set()
            stdout, stderr = process.communicate(timeout=60)
        finally:
            release.set()
            if process.poll() is None:
                process.kill()
    run = Run(process.returncode, stdout, stderr)

    assert run.returncode == 130, run.stdout + run.stderr
    assert run.report["interrupted"] is True and run.report["matched"] is False
    names = [check["name"] for check in run.report["checks"]]
    expected = [name.format(id=users_trunk) for name in EXPECTED_AFTER_INTERRUPTION]
    assert names == [*expected, "cleanup"]
    assert run.checks["cleanup"]["seen"].startswith("deleted ")
    assert trunks_state(clean_emulator) == before


def test_a_refused_key_stops_every_other_check(clean_emulator: EmulatorProcess) -> None:
    run = run_doctor(
        "--write", "--yes", "--json", base_url=clean_emulator.base_url, key="wrong-key-0123"
    )

    assert run.returncode == 1
    assert [check["name"] for check in run.report["checks"]] == ["key", "create"]
    assert run.checks["key"]["deviations"] == [
        {
            "seen": "401 Unauthorized: Unauthenticated.",
            "consequence": "the API refuses this key: every operation would fail",
            "provider_ok": False,
        }
    ]
    assert run.checks["create"]["not_run"] == "the key check failed"
    assert [r["method"] for r in clean_emulator.requests()] == ["GET"]


def test_without_a_key_nothing_is_checked(clean_emulator: EmulatorProcess) -> None:
    run = run_doctor(base_url=clean_emulator.base_url, key="")

    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == (
        "pulumi-autocalls doctor: set AUTOCALLS_API_KEY to the API key (the doctor reads the "
        "environment, not the stack's configuration).\n"
    )
    assert clean_emulator.requests() == []


def test_an_api_that_cannot_be_reached_stops_every_other_check() -> None:
    run = run_doctor("--json", base_url="http://127.0.0.1:9/api", retries="0")

    assert run.returncode == 1
    [key] = run.report["checks"]
    assert key["name"] == "key"
    assert key["deviations"][0]["seen"].startswith("no answer (")
    assert key["deviations"][0]["consequence"] == (
        "the API cannot be reached: every operation would fail"
    )
