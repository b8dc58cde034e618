"""EmulatorProcess: the emulator as a child process, for tests and tools.

The child runs ``python -m pulumi_autocalls.emulator`` with the current interpreter. Its stdout is
read on a thread (to learn the port from the ready line, then drained until it closes) and its
stderr goes to a temporary file, so neither pipe can fill up and block it.

The API keys and the control token reach the child through its environment, not through its
command line: every user of the machine sees command lines (`ps`), while a process's environment
is readable by its owner only (/proc/PID/environ on Linux).
"""

from __future__ import annotations

import json
import os
import queue
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal

from ._hosts import is_loopback_host
from ._secrets_input import API_KEYS_VARIABLE, CONTROL_TOKEN_VARIABLE, keys_of_lines

DEFAULT_API_KEY = "emulator-key"
_READY_LINE = re.compile(r"Autocalls emulator ready at (?P<root>http://\S+)/api\s*")
_PACKAGE_PARENT = Path(__file__).resolve().parents[2]
_STOP_TIMEOUT_S = 10.0
_CONTROL_TIMEOUT_S = 30.0
# Control calls go straight to loopback, whatever proxy the environment configures.
_DIRECT_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class EmulatorStartError(RuntimeError):
    """The child process exited or stayed silent instead of printing its ready line."""


class EmulatorControlError(RuntimeError):
    """A control endpoint refused a call (for example a fault with an unknown option)."""


class EmulatorProcess:
    """A running emulator child process; a context manager that starts and stops it.

    `restart()` keeps the database file (a ":memory:" store starts empty again) and reuses the
    previous port if it can be bound again, else takes a new free port: read `base_url` again
    after a restart.

    `control_token` is required on the control routes if given; with a `host` that is not
    loopback and no token, a random one is made up (read it back from `control_token`).
    """

    def __init__(
        self,
        api_keys: Sequence[str] = (DEFAULT_API_KEY,),
        db_path: str = ":memory:",
        latency_ms: float = 0,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        control_token: str | None = None,
        startup_timeout_s: float = 30.0,
    ) -> None:
        if isinstance(api_keys, str):
            raise TypeError("api_keys must be a sequence of keys, not a single string")
        if keys_of_lines("\n".join(api_keys)) != list(api_keys):
            raise ValueError(
                "an API key must not be empty, hold a line break, or start or end with a space"
            )
        if control_token is None and not is_loopback_host(host):
            control_token = secrets.token_urlsafe(32)
        self.api_keys = list(api_keys)
        self.control_token = control_token
        self.db_path = db_path
        self.latency_ms = latency_ms
        self.host = host
        self.startup_timeout_s = startup_timeout_s
        self._requested_port = port
        self._process: subprocess.Popen[str] | None = None
        self._stdout_reader: threading.Thread | None = None
        self._stderr_file: IO[bytes] | None = None
        self._last_stderr = ""
        self._root_url: str | None = None

    def __repr__(self) -> str:
        where = self._root_url or "not running"
        return f"EmulatorProcess({where}, db_path={self.db_path!r})"

    def __enter__(self) -> EmulatorProcess:
        if not self.running:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def root_url(self) -> str:
        """`http://127.0.0.1:PORT`: where the control endpoints live."""
        if self._root_url is None:
            raise RuntimeError("the emulator is not running")
        return self._root_url

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT/api`: the base URL of the emulated API."""
        return self.root_url + "/api"

    @property
    def port(self) -> int:
        return int(self.root_url.rsplit(":", 1)[1])

    @property
    def pid(self) -> int:
        """The child's process id (to watch it with the system's tools)."""
        if self._process is None:
            raise RuntimeError("the emulator is not running")
        return self._process.pid

    def start(self) -> None:
        if self._process is not None:
            raise RuntimeError("the emulator is already started")
        self._launch(self._requested_port)

    def stop(self) -> None:
        """Stops the child (SIGTERM, then SIGKILL after 10 s); does nothing if it is not started."""
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._release_child_resources()
        self._process = None
        self._root_url = None

    def restart(self) -> None:
        previous_port = self.port if self._root_url is not None else self._requested_port
        self.stop()
        try:
            self._launch(previous_port)
        except EmulatorStartError:
            if previous_port == 0:
                raise
            self._launch(0)

    def stderr_text(self) -> str:
        """What the child wrote to stderr (the current run, or the last one once stopped)."""
        if self._stderr_file is None:
            return self._last_stderr
        self._stderr_file.flush()
        self._stderr_file.seek(0)
        return self._stderr_file.read().decode(errors="replace")

    # Control endpoints.

    def health(self) -> dict[str, Any]:
        return self._control("GET", "/health")  # type: ignore[no-any-return]

    def requests(self) -> list[dict[str, Any]]:
        """The journal of /api requests, oldest first: method, path, status, body, bytes."""
        return self._control("GET", "/requests")["requests"]  # type: ignore[no-any-return]

    def clear_requests(self) -> None:
        self._control("DELETE", "/requests")

    def add_fault(
        self,
        status: int | None = None,
        *,
        method: str | None = None,
        path_prefix: str = "/api",
        times: int = 1,
        retry_after: int | None = None,
        retry_after_in: Literal["header", "body", "both"] = "both",
        delay_s: float = 0.0,
        after_commit: bool = False,
        drop: bool = False,
    ) -> dict[str, Any]:
        """Registers a fault for the next `times` matching requests; returns it as stored."""
        fault = {
            "status": status,
            "method": method,
            "path_prefix": path_prefix,
            "times": times,
            "retry_after": retry_after,
            "retry_after_in": retry_after_in,
            "delay_s": delay_s,
            "after_commit": after_commit,
            "drop": drop,
        }
        return self._control("POST", "/faults", fault)["fault"]  # type: ignore[no-any-return]

    def faults(self) -> list[dict[str, Any]]:
        """The faults that still have hits left."""
        return self._control("GET", "/faults")["faults"]  # type: ignore[no-any-return]

    def clear_faults(self) -> None:
        self._control("DELETE", "/faults")

    def set_latency(self, ms: float) -> None:
        self._control("PUT", "/latency", {"ms": ms})

    def set_api_keys(self, keys: Sequence[str]) -> None:
        self._control("PUT", "/api-keys", {"keys": list(keys)})

    def reset(self) -> None:
        """Deletes all trunks (ids keep increasing), clears journal and faults, and restores the
        API keys and latency the process was started with."""
        self._control("POST", "/reset")

    # Internals.

    def _launch(self, port: int) -> None:
        # Closed in stop(): it must outlive this method, so no `with` here.
        stderr_file = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            process = subprocess.Popen(
                self._command(port),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=stderr_file,
                env=self._environment(),
                text=True,
            )
        except OSError:
            stderr_file.close()
            raise
        self._process = process
        self._stderr_file = stderr_file
        ready: queue.Queue[str] = queue.Queue()
        assert process.stdout is not None
        self._stdout_reader = threading.Thread(
            target=_read_stdout, args=(process.stdout, ready), daemon=True
        )
        self._stdout_reader.start()
        try:
            self._root_url = self._wait_until_ready(process, ready)
        except EmulatorStartError:
            self.stop()
            raise

    def _wait_until_ready(self, process: subprocess.Popen[str], ready: queue.Queue[str]) -> str:
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            try:
                return ready.get(timeout=0.05)
            except queue.Empty:
                if process.poll() is not None and ready.empty():
                    raise EmulatorStartError(
                        f"the emulator exited with code {process.returncode} before it was "
                        f"ready:\n{self.stderr_text()}"
                    ) from None
        raise EmulatorStartError(
            f"the emulator printed no ready line within {self.startup_timeout_s} s:\n"
            f"{self.stderr_text()}"
        )

    def _command(self, port: int) -> list[str]:
        command = [sys.executable, "-m", "pulumi_autocalls.emulator"]
        command += ["--host", self.host, "--port", str(port), "--db", self.db_path]
        command += ["--latency-ms", str(self.latency_ms)]
        return command

    def _environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        search_path = [str(_PACKAGE_PARENT)]
        if environment.get("PYTHONPATH"):
            search_path.append(environment["PYTHONPATH"])
        environment["PYTHONPATH"] = os.pathsep.join(search_path)
        environment[API_KEYS_VARIABLE] = "\n".join(self.api_keys)
        if self.control_token is None:
            environment.pop(CONTROL_TOKEN_VARIABLE, None)
        else:
            environment[CONTROL_TOKEN_VARIABLE] = self.control_token
        return environment

    def _release_child_resources(self) -> None:
        if self._stdout_reader is not None:
            self._stdout_reader.join(timeout=_STOP_TIMEOUT_S)
            self._stdout_reader = None
        if self._process is not None and self._process.stdout is not None:
            self._process.stdout.close()
        if self._stderr_file is not None:
            self._last_stderr = self.stderr_text()
            self._stderr_file.close()
            self._stderr_file = None

    def _control(self, method: str, path: str, payload: object = None) -> Any:
        data = None if payload is None else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.control_token is not None:
            headers["Authorization"] = f"Bearer {self.control_token}"
        request = urllib.request.Request(
            f"{self.root_url}/_emulator{path}", data=data, method=method, headers=headers
        )
        try:
            with _DIRECT_OPENER.open(request, timeout=_CONTROL_TIMEOUT_S) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")
            raise EmulatorControlError(
                f"{method} /_emulator{path} failed: {error.code} {detail}"
            ) from error


def _read_stdout(stream: IO[str], ready: queue.Queue[str]) -> None:
    """Reports the root URL of the ready line, then keeps draining the stream until it closes."""
    announced = False
    for line in stream:
        if not announced and (match := _READY_LINE.fullmatch(line)):
            ready.put(match["root"])
            announced = True
