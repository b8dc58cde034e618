"""`pulumi-autocalls`, run as a user runs it: a subprocess, against the emulator."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from pulumi_autocalls import __version__
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import desired

COMMAND = Path(sys.executable).with_name("pulumi-autocalls")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AUTOCALLS_")}
    environment.update(env or {})
    return subprocess.run(
        [str(COMMAND), *args], capture_output=True, text=True, env=environment, timeout=60
    )


def api_env(emulator: EmulatorProcess) -> dict[str, str]:
    return {"AUTOCALLS_API_KEY": emulator.api_keys[0], "AUTOCALLS_BASE_URL": emulator.base_url}


def seed(emulator: EmulatorProcess, **changes: object) -> int:
    body = {k: v for k, v in desired(**changes).items() if not k.startswith("__")}
    response = httpx.post(
        f"{emulator.base_url}/user/phone-numbers/sip-trunks",
        json=body,
        headers={"Authorization": f"Bearer {emulator.api_keys[0]}", "Accept": "application/json"},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["data"]["id"])


@pytest.mark.parametrize("args", [("--help",), ("adopt", "--help"), ("emulator", "--help")])
def test_every_command_has_help(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: ")


def test_version() -> None:
    assert run("--version").stdout == f"pulumi-autocalls {__version__}\n"


def test_adopt_all_prints_a_program_that_adopts_every_trunk(
    clean_emulator: EmulatorProcess,
) -> None:
    first = seed(clean_emulator)
    second = seed(
        clean_emulator,
        sip_trunk_type="number",
        phone_number="+14155551234",
        nickname=None,
        inbound_authorization_type="ip",
        allowed_inbound_ips=["203.0.113.10"],
    )
    result = run("adopt", "--all", env=api_env(clean_emulator))
    assert result.returncode == 0, result.stderr
    program = result.stdout
    compile(program, "adopt.py", "exec")
    assert f"#   pulumi config set --secret sipPassword{first} <password>" in program
    assert f"trunk_{first} = SipTrunk(\n    'provider-x-main',\n    adopt_id='{first}'," in program
    assert f"trunk_{second} = SipTrunk(\n    'trunk-{second}',\n    adopt_id='{second}'," in program
    assert "    sip_trunk_type='number',\n    phone_number='+14155551234'," in program
    assert "    allowed_inbound_ips=['203.0.113.10']," in program
    assert f"    sip_password=config.require_secret('sipPassword{second}')," in program
    assert "s3cret-pass" not in program
    assert (
        "# Only the first 'pulumi up' reads adopt_id: afterwards the trunks are in the stack, and\n"
        "# removing adopt_id changes nothing."
    ) in program
    assert [r["method"] for r in clean_emulator.requests()][-1:] == ["GET"]


def test_adopt_by_id_reads_only_those_trunks(clean_emulator: EmulatorProcess) -> None:
    seed(clean_emulator)
    wanted = seed(clean_emulator, phone_number="1001")
    clean_emulator.clear_requests()
    result = run("adopt", str(wanted), env=api_env(clean_emulator))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("= SipTrunk(") == 1
    assert [(r["method"], r["path"]) for r in clean_emulator.requests()] == [
        ("GET", f"/api/user/phone-numbers/sip-trunks/{wanted}")
    ]


def test_errors_are_one_sentence_and_a_non_zero_exit(clean_emulator: EmulatorProcess) -> None:
    missing = run("adopt", "999999", env=api_env(clean_emulator))
    assert (missing.returncode, missing.stdout) == (1, "")
    assert missing.stderr == (
        "pulumi-autocalls: get SIP trunk 999999 failed: HTTP 404 Not Found: SIP trunk not found.\n"
    )

    no_key = run("adopt", "--all", env={"AUTOCALLS_BASE_URL": clean_emulator.base_url})
    assert (no_key.returncode, no_key.stderr) == (
        1,
        "pulumi-autocalls: No autocalls API key is configured. Set the AUTOCALLS_API_KEY "
        "environment variable.\n",
    )

    empty = run("adopt", "--all", env=api_env(clean_emulator))
    assert (empty.returncode, empty.stderr) == (
        1,
        "pulumi-autocalls: the account has no SIP trunks to adopt.\n",
    )


def test_the_emulator_command_serves_the_api(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [str(COMMAND), "emulator", "--port", "0", "--api-key", "cli-key", "--db", ":memory:"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=tmp_path,
    )
    try:
        assert process.stdout is not None
        ready = process.stdout.readline()
        assert ready.startswith("Autocalls emulator ready at http://127.0.0.1:")
        base_url = ready.rsplit(" ", 1)[1].strip()
        response = httpx.get(
            f"{base_url}/user/phone-numbers/sip-trunks",
            headers={"Authorization": "Bearer cli-key", "Accept": "application/json"},
        )
        assert (response.status_code, response.json()) == (200, {"data": []})
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_adopt_reads_the_provider_settings_from_the_environment(
    clean_emulator: EmulatorProcess,
) -> None:
    seed(clean_emulator)
    clean_emulator.clear_requests()
    clean_emulator.add_fault(503, times=2)
    environment = {**api_env(clean_emulator), "AUTOCALLS_MAX_RETRIES": "0"}
    no_retries = run("adopt", "--all", env=environment)
    assert no_retries.stderr == (
        "pulumi-autocalls: list SIP trunks failed: HTTP 503 Service Unavailable: "
        "Service Unavailable\n"
    )
    assert len(clean_emulator.requests()) == 1

    clean_emulator.clear_faults()
    clean_emulator.set_latency(3000)
    slow = run(
        "adopt",
        "--all",
        env={**api_env(clean_emulator), "AUTOCALLS_TIMEOUT": "0.5", "AUTOCALLS_MAX_RETRIES": "0"},
    )
    origin = clean_emulator.base_url.removesuffix("/api")
    assert slow.stderr == (
        f"pulumi-autocalls: list SIP trunks failed: no response from {origin} within 0.5 s\n"
    )
    # The emulator journals the slow request when it answers it, after the client gave up: wait
    # for it, so that it cannot land in the next test's journal.
    deadline = time.monotonic() + 30
    while len(clean_emulator.requests()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "AUTOCALLS_TIMEOUT",
            "abc",
            "AUTOCALLS_TIMEOUT must be a number of seconds greater than 0 (got 'abc').",
        ),
        (
            "AUTOCALLS_MAX_RETRIES",
            "2.5",
            "AUTOCALLS_MAX_RETRIES must be a whole number, 0 or more (got '2.5').",
        ),
        (
            "AUTOCALLS_BASE_URL",
            "localhost:8799/api",
            "The autocalls base URL (AUTOCALLS_BASE_URL) has no scheme: it needs https:// in "
            "front (http:// only for a loopback address, such as the emulator's).",
        ),
    ],
)
def test_adopt_names_the_variable_that_was_set(
    clean_emulator: EmulatorProcess, variable: str, value: str, message: str
) -> None:
    result = run("adopt", "--all", env={**api_env(clean_emulator), variable: value})
    assert (result.returncode, result.stderr) == (1, f"pulumi-autocalls: {message}\n")
    assert clean_emulator.requests() == []


def test_adopt_messages_name_only_what_it_reads(clean_emulator: EmulatorProcess) -> None:
    wrong_key = run("adopt", "--all", env={**api_env(clean_emulator), "AUTOCALLS_API_KEY": "nope"})
    assert wrong_key.stderr == (
        "pulumi-autocalls: list SIP trunks failed: HTTP 401 Unauthorized: Unauthenticated. "
        "Check the API key (AUTOCALLS_API_KEY).\n"
    )
    root = clean_emulator.base_url.removesuffix("/api")
    no_api = run("adopt", "--all", "--base-url", root, env=api_env(clean_emulator))
    assert no_api.stderr == (
        "pulumi-autocalls: list SIP trunks failed: HTTP 404 Not Found. Check the base URL "
        f"(--base-url is {root}): it usually ends in /api.\n"
    )
    for shown in (wrong_key.stderr, no_api.stderr):
        assert "pulumi config" not in shown and "autocalls:" not in shown.removeprefix(
            "pulumi-autocalls:"
        )
