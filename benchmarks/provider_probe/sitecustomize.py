"""Timing probe for the provider process, loaded by Python's ``site`` at start-up.

``benchmarks/run.py`` puts this directory on the ``PYTHONPATH`` of the provider process that the
engine harness starts (``python -u -m pulumi.dynamic``, the engine's own command) and names an
output directory in ``AUTOCALLS_BENCH_PROBE_DIR``. Without that variable this module does nothing.

With it, inside the provider process:

- every method a ``pulumi.dynamic.ResourceProvider`` subclass defines (check, diff, create,
  read, update, delete, configure) is timed with ``time.perf_counter_ns``: the provider's own
  work, without gRPC, (de)serialization or queueing;
- every resource RPC handler of the dynamic-provider server is timed too (the provider's work plus
  the server's unmarshalling, provider lookup and marshalling, without gRPC queueing);
- at exit the process writes ``provider-<pid>.json`` there: those durations, when each resource
  RPC ran (to see how busy the server's 4 worker threads were), the process's peak resident
  memory (``VmHWM``) and its CPU time.

The probe adds two ``perf_counter_ns`` calls and a list append per timed call (well under a
microsecond); it changes nothing else.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import resource
import threading
import time
from collections.abc import Callable
from typing import Any

_OUT_DIR = os.environ.get("AUTOCALLS_BENCH_PROBE_DIR")
_PROVIDER_METHODS = ("check", "diff", "create", "read", "update", "delete", "configure")
_RPC_METHODS = ("Check", "Diff", "Create", "Read", "Update", "Delete", "Configure")
_lock = threading.Lock()
_durations: dict[str, list[int]] = {}
_windows: list[tuple[str, int, int]] = []  # (rpc, start ns, end ns) of each resource RPC
_started_ns = time.perf_counter_ns()


def _timed(key: str, function: Callable[..., Any], window: bool = False) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter_ns()
        try:
            return function(*args, **kwargs)
        finally:
            ended = time.perf_counter_ns()
            with _lock:
                _durations.setdefault(key, []).append(ended - started)
                if window:
                    _windows.append((key, started, ended))

    return wrapper


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _write_report() -> None:
    assert _OUT_DIR is not None
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with _lock:
        durations = {key: list(values) for key, values in _durations.items()}
        windows = list(_windows)
    report = {
        "pid": os.getpid(),
        "durations_ns": durations,
        "rpc_windows_ns": windows,
        "vm_hwm_kib": _status_kib("VmHWM"),
        "vm_rss_kib": _status_kib("VmRSS"),
        "ru_maxrss_kib": usage.ru_maxrss,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "alive_s": (time.perf_counter_ns() - _started_ns) / 1e9,
        # perf_counter_ns is CLOCK_MONOTONIC on Linux: comparable with the benchmark's clock.
        "started_ns": _started_ns,
    }
    path = os.path.join(_OUT_DIR, f"provider-{os.getpid()}.json")
    with open(path + ".tmp", "w") as out:
        json.dump(report, out)
    os.replace(path + ".tmp", path)


def _install() -> None:
    from pulumi.dynamic import ResourceProvider
    from pulumi.runtime.proto import provider_pb2_grpc

    def init_subclass(cls: type[ResourceProvider], /, **kwargs: Any) -> None:
        super(ResourceProvider, cls).__init_subclass__(**kwargs)
        for name in _PROVIDER_METHODS:
            if name in cls.__dict__:
                setattr(cls, name, _timed(f"provider.{name}", cls.__dict__[name]))

    ResourceProvider.__init_subclass__ = classmethod(init_subclass)  # type: ignore[method-assign, assignment]

    add_servicer = provider_pb2_grpc.add_ResourceProviderServicer_to_server

    def add_timed_servicer(servicer: Any, server: Any) -> Any:
        for name in _RPC_METHODS:
            timed = _timed(f"rpc.{name}", getattr(servicer, name), window=True)
            setattr(servicer, name, timed)
        return add_servicer(servicer, server)

    provider_pb2_grpc.add_ResourceProviderServicer_to_server = add_timed_servicer
    atexit.register(_write_report)


if _OUT_DIR:
    _install()
