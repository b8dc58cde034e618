"""``pulumi-autocalls doctor`` against the emulator, which implements the documented contract:
everything matches, and the emulator is left as it was."""

from __future__ import annotations

from doctor_run import run_doctor, trunks_state
from pulumi_autocalls import __version__
from pulumi_autocalls.emulator import EmulatorProcess

READ_ONLY_CHECKS = ["key", "list", "get {id}", "not found"]
WRITE_CHECKS = [
    "create",
    "read back",
    "update phone_number",
    "update nickname",
    "update sip_username",
    "update sip_password",
    "update sip_address",
    "update sip_calling_format",
    "update country_code",
    "update outbound_proxy",
    "same phone_number",
    "clear nickname",
    "switch to ip",
    "update allowed_inbound_ips",
    "switch to auth",
    "refuse sip_address",
    "refuse sip_calling_format",
    "refuse allowed_inbound_ips",
    "duplicate",
    "delete",
    "gone",
    "delete again",
    "cleanup",
]


def test_read_only_matches_and_only_reads(
    clean_emulator: EmulatorProcess, users_trunk: int
) -> None:
    before = trunks_state(clean_emulator)

    run = run_doctor("--json", base_url=clean_emulator.base_url)

    assert run.returncode == 0, run.stdout + run.stderr
    assert [c["name"] for c in run.report["checks"]] == [
        name.format(id=users_trunk) for name in READ_ONLY_CHECKS
    ]
    assert run.differing == set()
    assert all(c["provider_ok"] and not c["deviations"] for c in run.report["checks"])
    assert {r["method"] for r in clean_emulator.requests()} == {"GET"}
    assert trunks_state(clean_emulator) == before


def test_write_matches_and_leaves_the_emulator_as_it_was(
    clean_emulator: EmulatorProcess, users_trunk: int
) -> None:
    before = trunks_state(clean_emulator)

    run = run_doctor("--write", "--yes", "--json", base_url=clean_emulator.base_url)

    assert run.returncode == 0, run.stdout + run.stderr
    names = [c["name"] for c in run.report["checks"]]
    assert names == [name.format(id=users_trunk) for name in READ_ONLY_CHECKS + WRITE_CHECKS]
    assert run.differing == set()
    assert run.checks["cleanup"]["seen"] == "nothing left to delete"
    assert trunks_state(clean_emulator) == before
    # The user's trunk was only ever read: every write went to trunks the doctor made.
    writes = [r for r in clean_emulator.requests() if r["method"] != "GET"]
    assert writes and all(not r["path"].endswith(f"/{users_trunk}") for r in writes)
    assert sorted({r["method"] for r in writes}) == ["DELETE", "POST", "PUT"]


def test_the_table_has_one_line_per_check(clean_emulator: EmulatorProcess) -> None:
    run = run_doctor("--write", "--yes", base_url=clean_emulator.base_url)

    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert (
        lines[0]
        == f"pulumi-autocalls doctor {__version__}: {clean_emulator.base_url} (read and write)"
    )
    header = lines[2]
    assert header.split() == ["CHECK", "EXPECTED", "SEEN", "RESULT"]
    rows = lines[3 : lines.index("", 3)]
    expected_names = [n for n in READ_ONLY_CHECKS + WRITE_CHECKS if n != "get {id}"]
    assert [row[: header.index("EXPECTED")].rstrip() for row in rows] == expected_names
    assert all(row.endswith("  match") for row in rows)
    assert "update sip_address" in run.stdout and "new outbound trunk id" in run.stdout
    assert lines[-1] == f"All {len(expected_names)} checks match the provider's model of the API."


def test_write_asks_first_and_does_nothing_without_a_yes(clean_emulator: EmulatorProcess) -> None:
    run = run_doctor("--write", base_url=clean_emulator.base_url, answer="n\n")

    assert (run.returncode, run.stdout) == (2, "")
    plan, prompt = run.stderr.split("Create it? [y/N] ")
    assert plan.startswith(
        f"doctor --write creates one throwaway SIP trunk at {clean_emulator.base_url}:\n"
        "  sip_trunk_type              extension\n  phone_number                99"
    )
    assert "  sip_password                (random, not shown)\n" in plan
    assert "nickname                    pulumi-autocalls-doctor-" in plan
    assert prompt == "\npulumi-autocalls doctor: nothing was checked or created.\n"
    assert clean_emulator.requests() == []


def test_write_goes_ahead_on_yes(clean_emulator: EmulatorProcess) -> None:
    run = run_doctor("--write", "--json", base_url=clean_emulator.base_url, answer="y\n")

    assert run.returncode == 0, run.stdout + run.stderr
    assert "create" in run.checks and run.differing == set()
    assert trunks_state(clean_emulator) == []


def test_help_names_the_settings_it_reads_and_what_it_cannot() -> None:
    run = run_doctor("--help", base_url="unused")

    assert run.returncode == 0
    assert run.stdout.startswith("usage: pulumi-autocalls doctor [-h] [--write] [--yes] [--json]")
    for variable in ("AUTOCALLS_API_KEY", "AUTOCALLS_BASE_URL", "AUTOCALLS_TIMEOUT"):
        assert f"\n  {variable} " in run.stdout
    assert "It cannot read a stack's configuration" in run.stdout
    assert "open an issue in the project's issue tracker with the --json report" in run.stdout
