"""The emulator as a process: command line, ready line, restarts and concurrent clients."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from pulumi_autocalls.emulator import EmulatorProcess, EmulatorStartError

CreateTrunk = Callable[..., dict[str, Any]]
MakeClient = Callable[..., httpx.Client]
TRUNKS = "/user/phone-numbers/sip-trunks"
READY_LINE = re.compile(r"Autocalls emulator ready at http://127\.0\.0\.1:(\d+)/api\n")


def test_command_line_prints_one_ready_line_and_accepts_the_default_key() -> None:
    command = [sys.executable, "-m", "pulumi_autocalls.emulator", "--port", "0", "--db", ":memory:"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = READY_LINE.fullmatch(line)
        assert match, line
        response = httpx.get(
            f"http://127.0.0.1:{match[1]}/api/user/me",
            headers={"Authorization": "Bearer emulator-key"},
            trust_env=False,
        )
        assert response.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.stdout.read() == ""


def test_several_keys_and_a_start_latency(make_client: MakeClient) -> None:
    with EmulatorProcess(api_keys=["key-one", "key-two"], latency_ms=5) as emulator:
        for key in ("key-one", "key-two"):
            assert make_client(emulator, api_key=key).get("/user/me").status_code == 200
        assert make_client(emulator, api_key="key-three").get("/user/me").status_code == 401
        latency = httpx.get(f"{emulator.root_url}/_emulator/latency", trust_env=False).json()
        assert latency == {"ms": 5}


def test_restart_with_a_file_database_keeps_trunks_and_counts_ids_on(
    tmp_path: Path, make_client: MakeClient, extension_request: dict[str, Any]
) -> None:
    db_path = str(tmp_path / "emulator.db")
    with EmulatorProcess(api_keys=["key"], db_path=db_path) as emulator:
        api = make_client(emulator)
        first = api.post(TRUNKS, json=extension_request).json()["data"]
        second = api.post(TRUNKS, json={**extension_request, "phone_number": "1001"}).json()
        api.delete(f"/user/phone-numbers/{second['data']['id']}")

        emulator.restart()

        api = make_client(emulator)
        assert api.get(TRUNKS).json() == {"data": [_summary(first)]}
        assert api.get(f"{TRUNKS}/{first['id']}").json() == {"data": first}
        third = api.post(TRUNKS, json={**extension_request, "phone_number": "1002"}).json()
        assert third["data"]["id"] == second["data"]["id"] + 1


def _summary(trunk: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in trunk.items() if not key.endswith("_trunk_id")}


def test_restart_of_an_in_memory_emulator_starts_empty(
    emulator: EmulatorProcess, make_client: MakeClient, extension_request: dict[str, Any]
) -> None:
    make_client(emulator).post(TRUNKS, json=extension_request)

    emulator.restart()

    assert emulator.running
    assert make_client(emulator).get(TRUNKS).json() == {"data": []}


def test_start_fails_clearly_when_the_port_is_taken() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        with pytest.raises(EmulatorStartError, match="cannot listen"):
            EmulatorProcess(port=port).start()


def test_concurrent_creates_get_distinct_ids(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    def create(index: int) -> httpx.Response:
        return api.post(TRUNKS, json={**extension_request, "phone_number": f"{2000 + index}"})

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(create, range(16)))

    assert [response.status_code for response in responses] == [201] * 16
    ids = [response.json()["data"]["id"] for response in responses]
    assert len(set(ids)) == 16
    assert len(api.get(TRUNKS).json()["data"]) == 16


def test_concurrent_updates_of_one_trunk_all_apply_in_order(
    api: httpx.Client, create_trunk: CreateTrunk
) -> None:
    trunk = create_trunk()

    def rename(index: int) -> httpx.Response:
        return api.put(f"{TRUNKS}/{trunk['id']}", json={"nickname": f"name {index}"})

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(rename, range(16)))

    stamps = [response.json()["data"]["updated_at"] for response in responses]
    assert len(set(stamps)) == 16
    final = api.get(f"{TRUNKS}/{trunk['id']}").json()["data"]
    assert final["updated_at"] == max(stamps)


def test_concurrent_duplicates_create_exactly_one_trunk(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(
            pool.map(lambda _: api.post(TRUNKS, json=extension_request).status_code, range(8))
        )

    assert statuses == [201] + [409] * 7
