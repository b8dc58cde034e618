"""Cost at scale: one stack of N SIP trunks through the engine harness against the emulator.

    python benchmarks/run.py --trunks N [--latency-ms L] [--repeat R] [--edit K] [--parallel P]

For each repeat, on a fresh stack and a reset emulator (loopback, L ms added to every API
request), it runs the operations below through the engine harness (dev/engine_harness: the real
``python -m pulumi.dynamic`` server driven over gRPC the way the engine drives it) and measures:

- API requests per operation, from the emulator's journal, against their floors;
- bytes sent per update request, against the bytes of a full-object update;
- wall time of each operation;
- the provider's own check and diff time, measured inside the provider process by
  ``benchmarks/provider_probe`` (a ``sitecustomize`` put on the provider process's PYTHONPATH);
- the provider process's peak memory (VmHWM), the size of the serialized provider, and the state
  file's bytes per trunk.

A readable table goes to stderr; the last line on stdout is ONE JSON object with every figure
(medians over the repeats, and the per-repeat values), so that scripts can compare runs
(``benchmarks/compare.py``).

Operations, in order, with their request floors (N trunks, K edited):
    preview_create    preview of the new stack               0
    create            up of the new stack                    N  (one POST per trunk)
    preview_nochange  preview, nothing changed               0
    up_nochange       up, nothing changed                    0
    preview_edit      preview of a nickname change on K      0
    up_edit           up of that change                      K  (one PUT per changed trunk)
    refresh           refresh, nothing changed               N  (one GET per trunk)
    destroy           destroy                                2N (confirm GET, DELETE)
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from engine_harness import Engine, OperationResult, ProviderProcess, Secret
from pulumi_autocalls._core.fields import FIELDS
from pulumi_autocalls._dynamic.resource import sdk_pickler_patches_undone
from pulumi_autocalls._provider import SipTrunkProvider
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import trunk_args, trunk_engine, trunks_program

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = ROOT / "benchmarks" / "reference"
# The reference resource is loaded by reference in the provider process too, from this directory.
sys.path.insert(0, str(REFERENCE_DIR))
from bare_trunk import SLEEP_CONFIG_KEY, bare_trunks_program  # noqa: E402

PROBE_DIR = Path(__file__).resolve().parent / "provider_probe"
API_KEY = "benchmark-key-0123456789"
TRUNK_TYPE = "pulumi-python:dynamic/autocalls:SipTrunk"
REFERENCE_TYPE = "pulumi-python:dynamic/benchmark:BareTrunk"
SERVER_WORKERS = 4  # ThreadPoolExecutor(max_workers=4) in pulumi/dynamic/__main__.py
OPERATIONS = (
    "preview_create",
    "create",
    "preview_nochange",
    "up_nochange",
    "preview_edit",
    "up_edit",
    "refresh",
    "destroy",
)
TIMED_RPCS = ("check", "diff", "create", "update", "read", "delete")


# --- measurement helpers ---------------------------------------------------------------------


class RpcClock:
    """Round-trip time of each resource RPC as the engine harness sees it (gRPC included)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.durations: dict[str, list[float]] = {}

    def reset(self) -> None:
        with self._lock:
            self.durations = {}

    def install(self) -> None:
        for name in TIMED_RPCS:
            original = getattr(ProviderProcess, name)
            setattr(ProviderProcess, name, self._timed(name, original))

    def _timed(self, name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                with self._lock:
                    self.durations.setdefault(name, []).append(elapsed)

        return timed


def read_probe(directory: Path) -> dict[str, Any]:
    """Merge the reports of every provider process the operation started."""
    durations: dict[str, list[int]] = {}
    processes = []
    for path in sorted(directory.glob("provider-*.json")):
        report = json.loads(path.read_text())
        processes.append(report)
        for key, values in report["durations_ns"].items():
            durations.setdefault(key, []).extend(values)
    return {"durations_ns": durations, "processes": processes}


def server_occupancy(processes: list[dict[str, Any]]) -> dict[str, float] | None:
    """How busy the server's worker threads were while the operation's resource RPCs ran."""
    windows = [
        (start, end)
        for process in processes
        for name, start, end in process.get("rpc_windows_ns", [])
        if name != "rpc.Configure"
    ]
    if not windows:
        return None
    first = min(start for start, _ in windows)
    last = max(end for _, end in windows)
    span = max(last - first, 1)
    edges = sorted([(start, 1) for start, _ in windows] + [(end, -1) for _, end in windows])
    active, previous, saturated = 0, first, 0
    for moment, change in edges:
        if active >= SERVER_WORKERS:
            saturated += moment - previous
        active += change
        previous = moment
    return {
        "rpc_span_s": round(span / 1e9, 3),
        "avg_busy_workers": round(sum(end - start for start, end in windows) / span, 2),
        "all_workers_busy_fraction": round(saturated / span, 3),
    }


def phases(started_ns: int, ended_ns: int, processes: list[dict[str, Any]]) -> dict[str, float]:
    """Where an operation's wall time went, on one clock (``perf_counter_ns`` is
    CLOCK_MONOTONIC on Linux, in this process and in the provider process alike):

    - ``provider_process_s``: from the start to the provider process's interpreter being up
      (the program body, the SDK's registrations, the engine starting the plugin);
    - ``first_rpc_s``: from the start to the first resource RPC (plus Configure);
    - ``first_rpc_ms``: that first RPC, which also imports and unpickles the provider;
    - ``rpc_span_s``: first resource RPC start to last resource RPC end;
    - ``after_last_rpc_s``: the rest (stopping the provider process, saving the state).
    """
    windows = [
        (start, end)
        for process in processes
        for name, start, end in process.get("rpc_windows_ns", [])
        if name != "rpc.Configure"
    ]
    starts = [process["started_ns"] for process in processes if "started_ns" in process]
    if not windows or not starts:
        return {}
    first = min(windows)
    last_end = max(end for _, end in windows)
    return {
        "provider_process_s": round((min(starts) - started_ns) / 1e9, 3),
        "first_rpc_s": round((first[0] - started_ns) / 1e9, 3),
        "first_rpc_ms": round((first[1] - first[0]) / 1e6, 1),
        "rpc_span_s": round((last_end - first[0]) / 1e9, 3),
        "after_last_rpc_s": round((ended_ns - last_end) / 1e9, 3),
    }


def us(values: Sequence[float]) -> dict[str, float] | None:
    """Summary of durations given in nanoseconds, in microseconds."""
    if not values:
        return None
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "median_us": round(statistics.median(ordered) / 1000, 1),
        "p95_us": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] / 1000, 1),
        "max_us": round(ordered[-1] / 1000, 1),
        "total_ms": round(sum(ordered) / 1e6, 2),
    }


def full_update_bytes(inputs: Mapping[str, Any]) -> int:
    """Bytes of a PUT carrying every updatable field, encoded as httpx encodes ``json=``."""
    body = {
        field.name: inputs[field.name]
        for field in FIELDS
        if not field.create_only and field.name in inputs
    }
    return len(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode())


def trunk_changes(result: OperationResult, type_: str = TRUNK_TYPE) -> dict[str, int]:
    """Op -> count of the trunk steps that change something (the stack excluded)."""
    counts: dict[str, int] = {}
    for step in result.steps:
        if step.type == type_ and step.is_change and not step.failed:
            counts[step.op] = counts.get(step.op, 0) + 1
    return counts


def plain(value: Any) -> Any:
    return value.value if isinstance(value, Secret) else value


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    versions: dict[str, str | None] = {}
    for package in ("pulumi", "grpcio", "httpx", "pydantic", "dill", "uvicorn", "fastapi"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty", "--abbrev=8"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": model,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "git": commit,
        # Other work on the machine skews wall times: the 1-minute load average when the
        # summary was written (the runs themselves add about 1.5 to it on 2 cores).
        "loadavg_1min_after": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }


def cpu_probe_ms() -> float:
    """Time of a fixed pure-Python workload (best of 3): how fast this machine is right now.

    Shared or throttled CPUs change speed from one session to the next; runs whose probe
    differs much are not comparable.
    """
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(1_000_000):
            total += number * number
        timings.append(time.perf_counter() - started)
    return round(min(timings) * 1000, 1)


def serialized_provider_length() -> int:
    from pulumi.dynamic.dynamic import serialize_provider

    with sdk_pickler_patches_undone():
        return len(serialize_provider(SipTrunkProvider()))


# --- one repeat ------------------------------------------------------------------------------


def floors(trunks: int, edited: int) -> dict[str, int]:
    return {
        "preview_create": 0,
        "create": trunks,
        "preview_nochange": 0,
        "up_nochange": 0,
        "preview_edit": 0,
        "up_edit": edited,
        "refresh": trunks,
        "destroy": 2 * trunks,
    }


@contextmanager
def probed(engine: Engine, directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True)
    engine.env["AUTOCALLS_BENCH_PROBE_DIR"] = str(directory)
    try:
        yield
    finally:
        engine.env.pop("AUTOCALLS_BENCH_PROBE_DIR", None)


def provider_pythonpath(*directories: Path) -> str:
    """The provider process's PYTHONPATH: the probe, ``directories``, then the inherited one."""
    parts = [str(PROBE_DIR), *map(str, directories), os.environ.get("PYTHONPATH", "")]
    return os.pathsep.join(part for part in parts if part)


def measure(
    engine: Engine,
    probe_dir: Path,
    clock: RpcClock,
    name: str,
    operation: Callable[[], OperationResult],
    expected_changes: dict[str, int],
    trunk_type: str = TRUNK_TYPE,
) -> dict[str, Any]:
    """Run one operation under the probe; its wall time, probe report, phases and round trips.
    Exits if the operation did not make the expected trunk steps."""
    clock.reset()
    with probed(engine, probe_dir):
        started_ns = time.perf_counter_ns()
        result = operation()
        ended_ns = time.perf_counter_ns()
    changes = trunk_changes(result, trunk_type)
    if changes != expected_changes:
        raise SystemExit(f"{name}: expected trunk changes {expected_changes}, got {changes}")
    probe = read_probe(probe_dir)
    return {
        "wall_s": (ended_ns - started_ns) / 1e9,
        "probe": probe,
        "phases": phases(started_ns, ended_ns, probe["processes"]),
        "rpc_round_trip_s": {key: list(value) for key, value in clock.durations.items()},
    }


def run_once(
    emulator: EmulatorProcess, trunks: int, edited: int, parallel: int, clock: RpcClock
) -> dict[str, Any]:
    emulator.reset()
    specs = {f"t{i}": trunk_args(phone_number=str(1000 + i)) for i in range(trunks)}
    program = trunks_program(specs)
    edited_names = list(specs)[:edited]
    measured: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="autocalls-bench-") as temporary:
        root = Path(temporary)
        engine = trunk_engine(
            emulator, root, env={"PYTHONPATH": provider_pythonpath()}, parallel=parallel
        )

        def edit() -> None:
            for name in edited_names:
                specs[name]["nickname"] = f"{specs[name]['nickname']} (edited)"

        steps: list[tuple[str, Callable[[], OperationResult], dict[str, int]]] = [
            ("preview_create", lambda: engine.preview(program), {"create": trunks}),
            ("create", lambda: engine.up(program), {"create": trunks}),
            ("preview_nochange", lambda: engine.preview(program, expect_no_changes=True), {}),
            ("up_nochange", lambda: engine.up(program, expect_no_changes=True), {}),
            ("preview_edit", lambda: engine.preview(program), {"update": edited}),
            ("up_edit", lambda: engine.up(program), {"update": edited}),
            ("refresh", lambda: engine.refresh(expect_no_changes=True), {}),
            ("destroy", lambda: engine.destroy(), {"delete": trunks}),
        ]
        for name, operation, expected_changes in steps:
            if name == "preview_edit":
                edit()
            emulator.clear_requests()
            measured[name] = measure(
                engine, root / "probe" / name, clock, name, operation, expected_changes
            )
            journal = emulator.requests()
            methods: dict[str, int] = {}
            for request in journal:
                methods[request["method"]] = methods.get(request["method"], 0) + 1
            measured[name].update(
                requests=len(journal), requests_by_method=methods, journal=journal
            )
            if name == "create":
                state_file = root / "state" / "dev.json"
                measured["state_bytes"] = state_file.stat().st_size
                entries = engine.state.custom_resources()
                measured["state_provider_b64_len"] = len(
                    plain(entries[0].inputs["__provider"]) if entries else ""
                )
            if name == "up_edit":
                measured["full_update_bytes"] = [
                    full_update_bytes(
                        {key: plain(value) for key, value in engine.state.by_name(n).inputs.items()}
                    )
                    for n in edited_names
                ]
    measured["reference_create"] = run_reference_create(emulator, specs, parallel, clock)
    measured["reference_sleep_create"] = run_reference_create(
        emulator, specs, parallel, clock, sleep_ms=emulator.latency_ms
    )
    return measured


def run_reference_create(
    emulator: EmulatorProcess,
    specs: dict[str, dict[str, Any]],
    parallel: int,
    clock: RpcClock,
    *,
    sleep_ms: float | None = None,
) -> dict[str, Any]:
    """The same stack with the reference provider (benchmarks/reference/bare_trunk.py): one bare
    POST per trunk, or with ``sleep_ms`` no API call at all, a sleep instead."""
    emulator.reset()
    with tempfile.TemporaryDirectory(prefix="autocalls-bench-reference-") as temporary:
        root = Path(temporary)
        config = {} if sleep_ms is None else {SLEEP_CONFIG_KEY: f"{sleep_ms:g}"}
        engine = trunk_engine(
            emulator,
            root,
            config=config,
            env={"PYTHONPATH": provider_pythonpath(REFERENCE_DIR)},
            parallel=parallel,
        )
        measured = measure(
            engine,
            root / "probe",
            clock,
            "reference_create",
            lambda: engine.up(bare_trunks_program(specs)),
            {"create": len(specs)},
            REFERENCE_TYPE,
        )
    measured["requests"] = len(emulator.requests())
    return measured


# --- summary ---------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def timings(per_run: list[dict[str, Any]], trunks: int) -> dict[str, Any]:
    """Round trips, the provider's own durations, server occupancy and phases of one
    operation, medians over the runs."""
    round_trips: dict[str, Any] = {}
    for rpc in TIMED_RPCS:
        runs_values = [item["rpc_round_trip_s"].get(rpc, []) for item in per_run]
        if any(runs_values):
            summaries = [us([v * 1e9 for v in values]) for values in runs_values]
            round_trips[rpc] = {
                "median_us": median([s["median_us"] for s in summaries if s]),
                "total_ms": median([s["total_ms"] for s in summaries if s]),
            }
    entry: dict[str, Any] = {"engine_rpc_round_trip": round_trips}

    own: dict[str, Any] = {}
    for key in (
        "provider.check",
        "provider.diff",
        "provider.create",
        "provider.update",
        "provider.read",
        "provider.delete",
        "rpc.Check",
        "rpc.Diff",
        "rpc.Create",
        "rpc.Update",
        "rpc.Read",
        "rpc.Delete",
    ):
        runs_values = [item["probe"]["durations_ns"].get(key, []) for item in per_run]
        if not any(runs_values):
            continue
        runs_us = [summary for values in runs_values if (summary := us(values)) is not None]
        own[key] = {
            "n": runs_us[-1]["n"],
            "median_us": median([s["median_us"] for s in runs_us]),
            "p95_us": median([s["p95_us"] for s in runs_us]),
            "max_us": median([s["max_us"] for s in runs_us]),
            "total_ms": median([s["total_ms"] for s in runs_us]),
        }
    check_diff = [
        (
            sum(item["probe"]["durations_ns"].get("provider.check", []))
            + sum(item["probe"]["durations_ns"].get("provider.diff", []))
        )
        / 1000
        / trunks
        for item in per_run
    ]
    if any(check_diff):
        # Every call included, the first of each process too.
        own["check_plus_diff_us_per_trunk"] = round(median(check_diff), 1)
        # A typical trunk once the process is warm: median check + median diff.
        own["check_plus_diff_median_us"] = round(
            sum(own[key]["median_us"] for key in ("provider.check", "provider.diff") if key in own),
            1,
        )
    entry["provider"] = own
    entry["provider_processes"] = len(per_run[-1]["probe"]["processes"])
    occupancy = [server_occupancy(item["probe"]["processes"]) for item in per_run]
    if all(occupancy):
        entry["server"] = {
            key: median([o[key] for o in occupancy if o]) for key in occupancy[0] or {}
        }
    phase_runs = [item["phases"] for item in per_run if item["phases"]]
    if phase_runs:
        entry["phases"] = {
            key: round(median([run[key] for run in phase_runs]), 3) for key in phase_runs[0]
        }
    check_trip, check_server = round_trips.get("check"), own.get("rpc.Check")
    if check_trip and check_server and check_server["n"]:
        # Engine round trip minus server time: mostly waiting for one of the 4 workers.
        entry["check_wait_mean_ms"] = round(
            (check_trip["total_ms"] - check_server["total_ms"]) / check_server["n"], 2
        )
    return entry


def summarize(
    runs: list[dict[str, Any]], trunks: int, edited: int, latency_ms: float
) -> dict[str, Any]:
    floor = floors(trunks, edited)
    operations: dict[str, Any] = {}
    provider: dict[str, Any] = {}
    peaks_kib: list[int] = []
    for name in OPERATIONS:
        per_run = [run[name] for run in runs]
        requests = [item["requests"] for item in per_run]
        walls = [item["wall_s"] for item in per_run]
        # The latency-only floor: the server runs at most 4 provider calls at once, and each
        # call makes its requests one after the other (destroy: confirm, then delete).
        calls = floor[name] // 2 if name == "destroy" else floor[name]
        sequential = 2 if name == "destroy" else 1
        bound_s = math.ceil(calls / SERVER_WORKERS) * sequential * latency_ms / 1000
        entry: dict[str, Any] = {
            "requests": max(requests),
            "requests_runs": requests,
            "floor": floor[name],
            "at_floor": all(count == floor[name] for count in requests),
            "requests_by_method": per_run[-1]["requests_by_method"],
            "wall_s": round(median(walls), 3),
            "wall_s_runs": [round(w, 3) for w in walls],
        }
        if bound_s:
            entry["concurrency_bound_s"] = round(bound_s, 3)
            entry["wall_over_bound"] = round(median(walls) / bound_s, 2)
        entry.update(timings(per_run, trunks))
        own = entry["provider"]
        for item in per_run:
            peaks_kib.extend(
                process["vm_hwm_kib"]
                for process in item["probe"]["processes"]
                if process.get("vm_hwm_kib")
            )
        operations[name] = entry
        if name == "preview_nochange":
            provider = own

    references: dict[str, Any] = {}
    for key in ("reference_create", "reference_sleep_create"):
        reference_runs = [run[key] for run in runs]
        references[key] = {
            "wall_s": round(median([item["wall_s"] for item in reference_runs]), 3),
            "wall_s_runs": [round(item["wall_s"], 3) for item in reference_runs],
            "requests": max(item["requests"] for item in reference_runs),
            **timings(reference_runs, trunks),
        }
        if "concurrency_bound_s" in operations["create"]:
            references[key]["wall_over_bound"] = round(
                references[key]["wall_s"] / operations["create"]["concurrency_bound_s"], 2
            )
    # Paired per run (same session, same minute), so that the machine's drift cancels out.
    create_breakdown = {
        "platform_s": references["reference_sleep_create"]["wall_s"],
        "api_beyond_latency_s": round(
            median(
                [
                    run["reference_create"]["wall_s"] - run["reference_sleep_create"]["wall_s"]
                    for run in runs
                ]
            ),
            3,
        ),
        "provider_s": round(
            median([run["create"]["wall_s"] - run["reference_create"]["wall_s"] for run in runs]),
            3,
        ),
    }
    create_breakdown["provider_share_of_create"] = round(
        create_breakdown["provider_s"] / operations["create"]["wall_s"], 3
    )

    put_bytes = [
        request["bytes"]
        for run in runs
        for request in run["up_edit"]["journal"]
        if request["method"] == "PUT"
    ]
    full_bytes = [value for run in runs for value in run["full_update_bytes"]]
    update_bytes = {
        "sent_median": median(put_bytes) if put_bytes else None,
        "full_object_median": median(full_bytes) if full_bytes else None,
        "ratio": round(median(put_bytes) / median(full_bytes), 3)
        if put_bytes and full_bytes
        else None,
        "example_body": next(
            (
                request["body"]
                for request in runs[-1]["up_edit"]["journal"]
                if request["method"] == "PUT"
            ),
            None,
        ),
    }
    state_bytes = median([run["state_bytes"] for run in runs])
    serialized = serialized_provider_length()
    check_diff_per_trunk = provider.get("check_plus_diff_us_per_trunk")
    check_diff_typical = provider.get("check_plus_diff_median_us")
    create = operations["create"]
    targets = {
        "requests_at_floor": all(op["at_floor"] for op in operations.values()),
        "serialized_provider_under_200_bytes": serialized < 200,
        "provider_check_diff_under_1ms_per_trunk": (
            check_diff_per_trunk is not None and check_diff_per_trunk < 1000
        ),
        "no_change_preview_zero_requests": operations["preview_nochange"]["requests"] == 0,
        "create_within_1_5x_concurrency_bound": (
            create["wall_over_bound"] <= 1.5 if "wall_over_bound" in create else None
        ),
    }
    return {
        "trunks": trunks,
        "latency_ms": latency_ms,
        "edited": edited,
        "repeat": len(runs),
        "operations": operations,
        **references,
        "create_breakdown": create_breakdown,
        "provider_check_diff_us_per_trunk": check_diff_per_trunk,
        "provider_check_diff_median_us": check_diff_typical,
        "update_bytes": update_bytes,
        "serialized_provider_b64_len": serialized,
        "state_provider_b64_len": runs[-1]["state_provider_b64_len"],
        "state_bytes": state_bytes,
        "state_bytes_per_trunk": round(state_bytes / trunks, 1),
        "provider_peak_rss_mib": round(max(peaks_kib) / 1024, 1) if peaks_kib else None,
        "targets": targets,
    }


def table(summary: dict[str, Any]) -> str:
    lines = [
        f"{summary['trunks']} trunks, latency {summary['latency_ms']:g} ms, "
        f"{summary['repeat']} repeat(s), {summary['edited']} edited",
        f"{'operation':<17}{'requests':>9}{'floor':>7}{'wall s':>9}{'bound s':>9}"
        f"{'check+diff us/trunk':>21}{'typical':>9}",
    ]
    for name, op in summary["operations"].items():
        per_trunk = op["provider"].get("check_plus_diff_us_per_trunk", "")
        typical = op["provider"].get("check_plus_diff_median_us", "")
        lines.append(
            f"{name:<17}{op['requests']:>9}{op['floor']:>7}{op['wall_s']:>9.2f}"
            f"{op.get('concurrency_bound_s', ''):>9}{per_trunk!s:>21}{typical!s:>9}"
        )
    create = summary["operations"]["create"]
    if create.get("phases"):
        lines.append(
            "create phases: "
            + ", ".join(f"{key} {value}" for key, value in create["phases"].items())
            + f"; check wait (mean) {create.get('check_wait_mean_ms')} ms; "
            f"avg busy workers {create.get('server', {}).get('avg_busy_workers')}"
        )
    for key, label in (
        ("reference_create", "reference provider, one bare POST each"),
        ("reference_sleep_create", "reference provider, a sleep instead of the API"),
    ):
        reference = summary[key]
        lines.append(
            f"{label}: create {reference['wall_s']} s (x{reference.get('wall_over_bound')} of "
            "the bound); phases "
            + ", ".join(f"{name} {value}" for name, value in reference.get("phases", {}).items())
        )
    lines.append(
        "create breakdown (s): "
        + ", ".join(f"{name} {value}" for name, value in summary["create_breakdown"].items())
    )
    ub = summary["update_bytes"]
    lines += [
        f"update bytes: sent {ub['sent_median']} vs full object {ub['full_object_median']}",
        f"serialized provider: {summary['serialized_provider_b64_len']} base64 chars; state "
        f"{summary['state_bytes_per_trunk']} bytes/trunk; provider peak RSS "
        f"{summary['provider_peak_rss_mib']} MiB",
        "targets: " + ", ".join(f"{k}={v}" for k, v in summary["targets"].items()),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trunks", type=int, required=True, help="trunks in the stack")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="emulator latency")
    parser.add_argument("--repeat", type=int, default=3, help="runs; figures are medians")
    parser.add_argument("--edit", type=int, default=None, help="trunks edited (N/10)")
    parser.add_argument("--parallel", type=int, default=16, help="engine --parallel")
    args = parser.parse_args(argv)
    if args.trunks < 1 or args.repeat < 1:
        parser.error("--trunks and --repeat must be at least 1")
    edited = args.edit if args.edit is not None else max(1, args.trunks // 10)
    if not 1 <= edited <= args.trunks:
        parser.error("--edit must be between 1 and --trunks")

    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    probe_before = cpu_probe_ms()
    clock = RpcClock()
    clock.install()
    runs = []
    with EmulatorProcess(api_keys=[API_KEY], db_path=":memory:", latency_ms=args.latency_ms) as emu:
        for index in range(args.repeat):
            started = time.perf_counter()
            runs.append(run_once(emu, args.trunks, edited, args.parallel, clock))
            print(
                f"run {index + 1}/{args.repeat}: {time.perf_counter() - started:.1f} s",
                file=sys.stderr,
                flush=True,
            )
    summary = summarize(runs, args.trunks, edited, args.latency_ms)
    summary["command"] = "python benchmarks/run.py " + " ".join(
        sys.argv[1:] if argv is None else argv
    )
    summary["parallel"] = args.parallel
    summary["machine"] = machine()
    summary["machine"]["loadavg_1min_before"] = load_before
    summary["machine"]["cpu_probe_ms_before"] = probe_before
    summary["machine"]["cpu_probe_ms_after"] = cpu_probe_ms()
    print(table(summary), file=sys.stderr)
    print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
