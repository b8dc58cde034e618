"""What the emulator command says and does at start about its exposure: the well-known key, a
non-loopback address and its control token, keys that stay out of the process list, and the
database file that only its owner can read."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from pulumi_autocalls.emulator import EmulatorProcess

READY_LINE = re.compile(r"Autocalls emulator ready at (http://\S+)/api\n")
DEFAULT_KEY_NOTICE = (
    "notice: no API key given, so the emulator accepts the well-known 'emulator-key' "
    "(set keys with --api-key-file or AUTOCALLS_EMULATOR_API_KEYS)\n"
)
NETWORK_WARNING = (
    "warning: listening on 0.0.0.0, the emulator is reachable from the network; its control "
    "routes need the control token\n"
)
TOKEN_LINE = re.compile(
    r"Control token \(send 'Authorization: Bearer <token>' to /_emulator routes\): "
    r"([A-Za-z0-9_-]{43})\n"
)
TOKEN_REQUIRED = {
    "detail": "This control request needs the emulator's control token: send it as "
    "'Authorization: Bearer <token>'."
}


class Started:
    def __init__(self, process: subprocess.Popen[str], root_url: str) -> None:
        self.process = process
        self.root_url = root_url

    def get(self, path: str, **headers: str) -> httpx.Response:
        return httpx.get(f"{self.root_url}{path}", headers=headers, trust_env=False)

    def stderr_lines_before_ready(self) -> list[str]:
        """What the command wrote to stderr up to its ready line (it writes nothing after)."""
        self.process.terminate()
        self.process.wait(timeout=10)
        assert self.process.stderr is not None
        return self.process.stderr.read().splitlines(keepends=True)


@contextmanager
def started(*options: str, env: Mapping[str, str] | None = None) -> Iterator[Started]:
    """The emulator command with `options` (and `env` added to the environment), once ready."""
    command = [sys.executable, "-m", "pulumi_autocalls.emulator", "--port", "0", "--db", ":memory:"]
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("AUTOCALLS_EMULATOR")
    }
    process = subprocess.Popen(
        [*command, *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**environment, **(env or {})},
    )
    try:
        assert process.stdout is not None
        match = READY_LINE.fullmatch(process.stdout.readline())
        assert match, process.stderr.read() if process.stderr else ""
        yield Started(process, match[1].replace("0.0.0.0", "127.0.0.1"))
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)


def test_without_a_key_the_command_says_it_accepts_the_well_known_one() -> None:
    with started() as emulator:
        me = emulator.get("/api/user/me", Authorization="Bearer emulator-key")
        assert me.status_code == 200
        assert emulator.stderr_lines_before_ready() == [DEFAULT_KEY_NOTICE]


def test_keys_come_from_the_environment_and_a_file_as_well_as_the_command_line(
    tmp_path: Path,
) -> None:
    key_file = tmp_path / "keys"
    key_file.write_text("file-key-1\n\n  file-key-2  \r\n")
    with started(
        "--api-key",
        "option-key",
        "--api-key-file",
        str(key_file),
        env={"AUTOCALLS_EMULATOR_API_KEYS": "env-key-1\nenv-key-2"},
    ) as emulator:
        statuses = {
            key: emulator.get("/api/user/me", Authorization=f"Bearer {key}").status_code
            for key in ("option-key", "file-key-1", "file-key-2", "env-key-1", "env-key-2")
        }
        refused = emulator.get("/api/user/me", Authorization="Bearer emulator-key")
        assert statuses == dict.fromkeys(statuses, 200)
        assert refused.status_code == 401
        assert emulator.stderr_lines_before_ready() == []


def test_an_unreadable_key_file_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    command = [sys.executable, "-m", "pulumi_autocalls.emulator", "--api-key-file", str(missing)]

    result = subprocess.run(command, capture_output=True, text=True, timeout=60)

    assert (result.returncode, result.stdout) == (2, "")
    assert (
        result.stderr == f"error: cannot read --api-key-file {missing}: No such file or directory\n"
    )


def test_a_start_latency_above_60_seconds_is_refused() -> None:
    command = [sys.executable, "-m", "pulumi_autocalls.emulator", "--latency-ms", "60000.5"]

    result = subprocess.run(command, capture_output=True, text=True, timeout=60)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "error: --latency-ms must be between 0 and 60000\n"


def test_listening_on_every_address_warns_and_makes_up_a_control_token() -> None:
    with started("--host", "0.0.0.0", env={"AUTOCALLS_EMULATOR_API_KEYS": "k"}) as emulator:
        anonymous = emulator.get("/_emulator/requests")
        anonymous_key = emulator.get("/_emulator/api-keys")
        lines = emulator.stderr_lines_before_ready()
        assert lines[0] == NETWORK_WARNING
        token_line = TOKEN_LINE.fullmatch(lines[1])
        assert token_line, lines
        assert len(lines) == 2
    assert [(r.status_code, r.json()) for r in (anonymous, anonymous_key)] == [
        (401, TOKEN_REQUIRED)
    ] * 2


def test_a_network_emulator_serves_its_control_routes_to_the_token_bearer_only() -> None:
    token = "given-control-token-0123456789"
    with started("--host", "0.0.0.0", env={"AUTOCALLS_EMULATOR_CONTROL_TOKEN": token}) as emulator:
        with_token = emulator.get("/_emulator/health", Authorization=f"Bearer {token}")
        without = emulator.get("/_emulator/health")
        # A name of the machine on the network: the token, not the Host, is what is checked.
        lan_name = emulator.get(
            "/_emulator/health", Authorization=f"Bearer {token}", Host="devbox.lan:8787"
        )
        lines = emulator.stderr_lines_before_ready()
    assert lines == [NETWORK_WARNING, DEFAULT_KEY_NOTICE]
    assert (with_token.status_code, with_token.json()) == (200, {"status": "ok"})
    assert (without.status_code, without.json()) == (401, TOKEN_REQUIRED)
    assert lan_name.status_code == 200


def test_the_process_helper_gives_a_network_emulator_a_token_and_uses_it() -> None:
    with EmulatorProcess(api_keys=["k"], host="0.0.0.0") as emulator:
        token = emulator.control_token
        assert token is not None and len(token) >= 32
        assert emulator.health() == {"status": "ok"}
        anonymous = httpx.get(f"http://127.0.0.1:{emulator.port}/_emulator/health", trust_env=False)
        assert anonymous.status_code == 401
        assert emulator.stderr_text() == NETWORK_WARNING


def test_api_keys_and_the_control_token_stay_out_of_the_process_list() -> None:
    """`--api-key KEY` showed the key to every user of the machine through `ps`."""
    key, token = "canary-api-key-5f1c2a", "canary-control-token-9b7e"
    with EmulatorProcess(api_keys=[key], control_token=token) as emulator:
        listed = subprocess.run(
            ["ps", "-ww", "-o", "args=", "-p", str(emulator.pid)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        me = httpx.get(
            f"{emulator.base_url}/user/me",
            headers={"Authorization": f"Bearer {key}"},
            trust_env=False,
        )
        assert "pulumi_autocalls.emulator" in listed
        assert key not in listed and token not in listed
        assert me.status_code == 200
        assert emulator.health() == {"status": "ok"}


def test_the_process_helper_refuses_a_key_the_environment_cannot_carry() -> None:
    for key in ("two\nlines", " padded", ""):
        with pytest.raises(ValueError, match="an API key must not be empty, hold a line break"):
            EmulatorProcess(api_keys=[key])


def test_the_database_file_is_created_readable_by_its_owner_only(tmp_path: Path) -> None:
    db_path = tmp_path / "emulator.db"
    previous_umask = os.umask(0o022)  # the usual one, under which files are created 0644
    try:
        emulator = EmulatorProcess(api_keys=["k"], db_path=str(db_path))
        emulator.start()
    finally:
        os.umask(previous_umask)
    with emulator:
        httpx.post(
            f"{emulator.base_url}/user/phone-numbers/sip-trunks",
            headers={"Authorization": "Bearer k"},
            json={
                "sip_trunk_type": "extension",
                "phone_number": "1000",
                "sip_username": "myuser",
                "sip_password": "canary-password",
                "sip_address": "sip.provider.com",
                "sip_calling_format": "+e164",
                "inbound_authorization_type": "auth",
                "country_code": "US",
            },
            trust_env=False,
        ).raise_for_status()
        assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert b"canary-password" in db_path.read_bytes()  # which is why


def test_an_existing_database_file_keeps_its_mode(tmp_path: Path) -> None:
    db_path = tmp_path / "emulator.db"
    db_path.touch(mode=0o640)
    db_path.chmod(0o640)
    with EmulatorProcess(api_keys=["k"], db_path=str(db_path)):
        assert stat.S_IMODE(db_path.stat().st_mode) == 0o640


def test_a_database_that_cannot_be_created_is_one_line_and_exit_code_1(tmp_path: Path) -> None:
    db_path = tmp_path / "missing-directory" / "emulator.db"
    command = [sys.executable, "-m", "pulumi_autocalls.emulator", "--port", "0"]

    result = subprocess.run(
        [*command, "--db", str(db_path)], capture_output=True, text=True, timeout=60
    )

    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: cannot open the database {db_path}: [Errno 2] No such file or directory: "
        f"{str(db_path)!r}\n"
    )


def test_the_help_says_never_to_give_it_real_credentials() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pulumi_autocalls.emulator", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "1000"},
    )
    assert result.returncode == 0
    assert (
        "It stores what it is given, SIP passwords included, in plain text: never give it real "
        "credentials." in result.stdout
    )
    assert (
        "SQLite file that keeps the trunks across restarts, passwords in plain text; created "
        "readable by its owner only." in result.stdout
    )
