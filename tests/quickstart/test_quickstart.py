"""``make quickstart``'s script, run as a user runs it: a subprocess, on the real Pulumi CLI (built
from Go modules: no Python language host, so the program runs through the Automation API), on a
machine where no CLI can be had (the engine harness), and with a stand-in for a Pulumi
installation whose Python language host runs the program in the project directory (no such
installation can exist on these machines)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "quickstart.py"
TRUNKS = ("office-extension", "sales-did", "support-uk")
NOTICE = re.compile(
    r"^    autocalls: SIP trunk (\d+): this update re-creates the inbound trunk ST_\w+ and the "
    r"outbound trunk ST_\w+ \(changed: sip_password\)$",
    re.MULTILINE,
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(
    home: Path, extra_path: Path | None = None, cli_cache: Path | None = None
) -> dict[str, str]:
    """The user's environment, minus any Pulumi CLI and any Go toolchain to build one: a HOME
    without ~/.pulumi or a cache, a PATH without ``pulumi`` or ``go`` (except ``extra_path``'s);
    ``cli_cache``, if given, is the cache where ``scripts/pulumi_cli.py`` left a CLI."""
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p]
    path = [p for p in path if not any((Path(p) / tool).exists() for tool in ("pulumi", "go"))]
    if extra_path is not None:
        path.insert(0, str(extra_path))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "AUTOCALLS_"))}
    env.update(
        {
            "PATH": os.pathsep.join(path),
            "HOME": str(home),
            "XDG_CACHE_HOME": str(cli_cache or home / ".cache"),
        }
    )
    return env


def quickstart(state_dir: Path, port: int, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--state-dir", str(state_dir), "--port", str(port)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=240,
    )


def sections(output: str) -> dict[str, str]:
    """The output split at its ``==> heading`` lines: heading -> text below it."""
    parts = re.split(r"^==> (.*)$", output, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def exported_ids(rendered: str) -> dict[str, str]:
    """The ``trunk_ids`` stack output as an operation's rendering shows it (on one line, or one
    entry per line as the CLI prints a map)."""
    shown = re.findall(r"trunk_ids\s*:\s+\{(.*?)\}", rendered, re.DOTALL)
    assert len(shown) == 1, rendered
    return dict(re.findall(r"(\w+)\s*: \"(\d+)\"", shown[0]))


def notices_name_every_trunk(up: str, rotated: str) -> dict[str, str]:
    """The trunk ids ``up`` exported, after checking that the rotated preview shows one
    re-provisioning notice per trunk, naming it, in its diagnostics."""
    assert "Diagnostics:\n  pulumi:pulumi:Stack (autocalls-quickstart-dev):" in rotated
    ids = exported_ids(up)
    assert set(ids) == {"office", "sales", "support"}
    assert sorted(NOTICE.findall(rotated)) == sorted(ids.values())
    return ids


def rerun_changes_nothing(second: subprocess.CompletedProcess[str], ids: dict[str, str]) -> None:
    """A second run found the same trunks, changed nothing, and only previewed the rotation."""
    assert second.returncode == 0, second.stdout + second.stderr
    preview, up, again, rotated = sections(second.stdout).values()
    for part in (preview, up, again):
        assert "Resources:\n    4 unchanged" in part
        assert not re.search(r"^ [-+~]", part, re.MULTILINE)  # no step that changes anything
    assert exported_ids(up) == ids
    assert sorted(NOTICE.findall(rotated)) == sorted(ids.values())
    assert "quickstart: emulator stopped" in second.stdout.splitlines()


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@pytest.fixture
def home(tmp_path: Path) -> Path:
    directory = tmp_path / "home"
    directory.mkdir()
    return directory


def test_quickstart_without_a_cli_runs_the_harness_and_a_rerun_changes_nothing(
    tmp_path: Path, home: Path
) -> None:
    state_dir, port = tmp_path / "state", free_port()
    first = quickstart(state_dir, port, environment(home))
    assert first.returncode == 0, first.stdout + first.stderr
    out = first.stdout
    lines = out.splitlines()

    # It says once, in one line, that there is no CLI and why, and which engine ran.
    assert first.stderr.splitlines()[0] == (
        "pulumi-cli: No Pulumi CLI was found (PULUMI_CLI, PATH, ~/.pulumi/bin) and Go is not "
        "installed to build one: install Go 1.26 or newer (https://go.dev/dl/) or a Pulumi CLI "
        ">=3.216,<4."
    )
    said = [line for line in lines if "no Pulumi CLI (" in line]
    assert said == [
        "quickstart: no Pulumi CLI (scripts/pulumi_cli.py found none and could not build one: "
        "see the line above); running the same program through this project's engine harness "
        "instead."
    ]
    assert "engine: pulumi-autocalls engine harness (no Pulumi CLI)" in lines
    assert f"quickstart: emulator at http://127.0.0.1:{port}/api" in out

    parts = sections(out)
    assert list(parts) == [
        "preview",
        "up",
        "preview, expecting no changes",
        "preview of an edit, not applied: sipPassword rotated",
    ]
    preview, up, again, rotated = parts.values()
    for name in TRUNKS:
        assert re.search(rf"^ \+  └─ \S+autocalls:SipTrunk\s+{name}\s+create$", preview, re.M)
        assert re.search(rf"^ \+  └─ \S+autocalls:SipTrunk\s+{name}\s+created$", up, re.M)
        assert re.search(rf"^    └─ \S+autocalls:SipTrunk\s+{name}\s+same$", again, re.M)
        assert re.search(
            rf"^ ~  └─ \S+autocalls:SipTrunk\s+{name}\s+update\s+\[diff: ~sip_password\]$",
            rotated,
            re.M,
        )
    assert "Resources:\n    + 4 to create" in preview
    assert "Resources:\n    + 4 created" in up
    assert "Resources:\n    4 unchanged" in again
    assert "to update" not in again and "Diagnostics:" not in again
    assert "Resources:\n    ~ 3 to update\n    3 changes. 1 unchanged" in rotated

    ids = notices_name_every_trunk(up, rotated)
    assert "quickstart-pass" not in out + first.stderr  # the passwords are never printed

    assert "quickstart: emulator stopped" in lines
    assert port_is_free(port)
    assert (state_dir / "emulator-harness.db").is_file()
    assert (state_dir / "harness" / "autocalls-quickstart" / "dev.json").is_file()

    # The rerun finds the same trunks and changes nothing; the rotation is still only previewed.
    rerun_changes_nothing(quickstart(state_dir, port, environment(home)), ids)


def test_quickstart_takes_a_free_port_when_its_own_is_taken(tmp_path: Path, home: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = quickstart(tmp_path / "state", port, environment(home))
    assert result.returncode == 0, result.stdout + result.stderr
    moved = re.search(
        rf"^quickstart: port {port} is taken; the emulator listens on (\d+) instead$",
        result.stdout,
        re.M,
    )
    assert moved is not None, result.stdout
    assert f"quickstart: emulator at http://127.0.0.1:{moved.group(1)}/api" in result.stdout
    assert "Resources:\n    + 4 created" in result.stdout


# --- on the real Pulumi CLI ----------------------------------------------------------------------


@pytest.mark.real_engine
def test_quickstart_runs_on_the_real_cli_and_a_rerun_changes_nothing(
    tmp_path: Path, home: Path, pulumi_cli: Path
) -> None:
    state_dir, port = tmp_path / "state", free_port()
    env = environment(home, cli_cache=pulumi_cli.parents[2])
    first = quickstart(state_dir, port, env)
    assert first.returncode == 0, first.stdout + first.stderr
    out = first.stdout
    lines = out.splitlines()
    assert lines[0] == (
        f"engine: Pulumi CLI 3.274.1 ({pulumi_cli}), the program run through Pulumi's Automation "
        "API (no Python language host)"
    )
    assert f"quickstart: emulator at http://127.0.0.1:{port}/api" in out

    parts = sections(out)
    assert list(parts) == [
        "pulumi preview",
        "pulumi up --yes --skip-preview",
        "pulumi preview --expect-no-changes",
        "pulumi preview  (sipPassword rotated; previewed, not applied)",
    ]
    preview, up, again, rotated = parts.values()
    for name in TRUNKS:
        assert re.search(
            rf"^ \+  pulumi-python:dynamic/autocalls:SipTrunk {name} create$", preview, re.M
        )
        assert re.search(rf"^ \+  \S+autocalls:SipTrunk {name} created \(", up, re.M)
        assert re.search(rf"^ ~  \S+autocalls:SipTrunk {name} update$", rotated, re.M)
    assert "Resources:\n    + 4 to create" in preview
    assert "Resources:\n    + 4 created" in up
    assert "Resources:\n    4 unchanged" in again
    assert "Resources:\n    ~ 3 to update\n    1 unchanged" in rotated

    ids = notices_name_every_trunk(up, rotated)
    assert "quickstart-pass" not in out + first.stderr  # the passwords are never printed
    assert "quickstart: emulator stopped" in lines
    assert port_is_free(port)

    # The rerun finds the same trunks and changes nothing; the rotation is still only previewed.
    rerun_changes_nothing(quickstart(state_dir, port, env), ids)


@pytest.mark.real_engine
def test_a_failed_cli_step_ends_the_quickstart_with_one_sentence(
    tmp_path: Path, home: Path, pulumi_cli: Path
) -> None:
    state_dir, port = tmp_path / "state", free_port()
    env = environment(home, cli_cache=pulumi_cli.parents[2])
    assert quickstart(state_dir, port, env).returncode == 0
    [checkpoint] = (state_dir / "cli" / "state" / ".pulumi" / "stacks").glob("**/dev.json")
    checkpoint.write_text("not a checkpoint", encoding="utf-8")

    result = quickstart(state_dir, port, env)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "quickstart failed: `pulumi preview` failed (its output is above)."
    ]
    assert "error: failed to load checkpoint" in result.stdout, result.stdout
    assert "quickstart: emulator stopped" in result.stdout.splitlines()
    assert port_is_free(port)


# --- a Pulumi installation: a stand-in that records how it is called -------------------------

FAKE_PULUMI = """#!{python}
import json, os, sys
args = sys.argv[1:]
if args[:1] == ["version"]:
    print("v3.250.0")
    sys.exit(0)
with open({log!r}, "a") as log:
    log.write(json.dumps({{
        "args": args,
        "backend": os.environ.get("PULUMI_BACKEND_URL"),
        "passphrase": os.environ.get("PULUMI_CONFIG_PASSPHRASE"),
        "cwd": os.getcwd(),
    }}) + "\\n")
if args[:1] in (["preview"], ["up"]):
    print("(stand-in pulumi " + args[0] + ")")
    sys.exit(1 if args[0] == {fail!r} else 0)
"""


def fake_installation(directory: Path, *, fail: str = "") -> Path:
    """A directory like a Pulumi installation's: a ``pulumi`` that records its calls, beside a
    Python language host."""
    directory.mkdir()
    log = directory / "calls.jsonl"
    script = directory / "pulumi"
    script.write_text(FAKE_PULUMI.format(python=sys.executable, log=str(log), fail=fail))
    script.chmod(0o755)
    host = directory / "pulumi-language-python"
    host.write_text("#!/bin/sh\nexit 1\n")
    host.chmod(0o755)
    return log


def calls(log: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.read_text().splitlines()]


def test_quickstart_runs_an_installation_in_the_project_directory(
    tmp_path: Path, home: Path
) -> None:
    log = fake_installation(tmp_path / "bin")
    state_dir, port = tmp_path / "state", free_port()
    result = quickstart(state_dir, port, environment(home, tmp_path / "bin"))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "engine: Pulumi CLI 3.250.0"
    recorded = calls(log)
    url = f"http://127.0.0.1:{port}/api"
    assert [call["args"] for call in recorded] == [
        ["stack", "select", "--create", "dev", "--non-interactive"],
        [
            "config",
            "set",
            "--secret",
            "autocalls:apiKey",
            "quickstart-api-key",
            "--non-interactive",
        ],
        ["config", "set", "autocalls:baseUrl", url, "--non-interactive"],
        ["config", "set", "--secret", "sipPassword", "quickstart-pass-1", "--non-interactive"],
        ["preview", "--non-interactive"],
        ["up", "--yes", "--skip-preview", "--non-interactive"],
        ["preview", "--expect-no-changes", "--non-interactive"],
        ["config", "set", "--secret", "sipPassword", "quickstart-pass-2", "--non-interactive"],
        ["preview", "--non-interactive"],
        ["config", "set", "--secret", "sipPassword", "quickstart-pass-1", "--non-interactive"],
    ]
    for call in recorded:
        assert call["backend"] == f"file://{state_dir.resolve()}"
        assert call["passphrase"] == "autocalls-quickstart"
        assert call["cwd"] == str(REPO)
    assert "quickstart: emulator stopped" in lines
    assert "quickstart-pass" not in result.stdout  # secrets are never echoed
    assert port_is_free(port)


def test_a_failed_installation_step_ends_the_quickstart_with_one_sentence(
    tmp_path: Path, home: Path
) -> None:
    log = fake_installation(tmp_path / "bin", fail="up")
    port = free_port()
    result = quickstart(tmp_path / "state", port, environment(home, tmp_path / "bin"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "quickstart failed: `pulumi up --yes --skip-preview` exited with code 1 "
        "(its output is above)."
    ]
    assert [call["args"][0] for call in calls(log)][-1] == "up"
    assert "quickstart: emulator stopped" in result.stdout.splitlines()
    assert port_is_free(port)
