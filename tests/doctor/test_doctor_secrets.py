"""The doctor's report never shows the API key or a SIP password, even from an API that echoes
them back in every answer: the report may be attached to a public issue."""

from __future__ import annotations

from typing import Any

import pytest
from deviating_api import Answer, Forward, Request, deviating_api, trunk_objects
from doctor_run import run_doctor, trunks_state
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import EMULATOR_API_KEY

CANARY_KEY = "7|doctor-canary-key-5ecre7"
CANARY_KEY_SECRET = "doctor-canary-key-5ecre7"


@pytest.mark.parametrize("form", ["--json", "table"])
def test_no_secret_reaches_the_report(clean_emulator: EmulatorProcess, form: str) -> None:
    clean_emulator.set_api_keys([CANARY_KEY, EMULATOR_API_KEY])
    passwords: list[str] = []

    def echoing_secrets(request: Request, forward: Forward) -> Answer:
        if isinstance(request.body, dict) and request.body.get("sip_password"):
            passwords.append(request.body["sip_password"])
        answer = forward(request)
        echoed = f"{request.authorization} {CANARY_KEY_SECRET} {' '.join(passwords)}"
        for trunk in trunk_objects(answer.body):
            trunk["sip_password"] = passwords[-1]
            trunk["debug"] = echoed
        if isinstance(answer.body, dict):
            answer.body["error" if answer.status >= 400 else "message"] = echoed
        return answer

    with deviating_api(clean_emulator, echoing_secrets) as api:
        args: list[Any] = ["--write", "--yes", *(["--json"] if form == "--json" else [])]
        run = run_doctor(*args, base_url=api.base_url, key=CANARY_KEY)

    assert run.returncode == 1, run.stdout + run.stderr
    assert len(set(passwords)) == 2  # the trunk's first password and the one it changed to
    output = run.stdout + run.stderr
    for secret in [CANARY_KEY, CANARY_KEY_SECRET, *passwords]:
        assert secret not in output
    assert "returns `sip_password`" in output  # what was echoed is named, never shown
    assert trunks_state(clean_emulator) == []
