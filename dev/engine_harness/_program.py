"""Running a Pulumi program in this process, the way the Python language host runs it.

The program runs on a fresh thread (so a fresh ``contextvars`` context and event loop) with the
SDK configured like ``pulumi.runtime.set_mocks(..., preview=dry_run, monitor=EngineMonitor)``.
``set_mocks`` itself is not called because it registers the root stack and its (empty) outputs
before the program runs; instead the program goes through ``run_in_stack`` like the language
host, so ``pulumi.export`` reaches the monitor and every registration and output is awaited.
"""

from __future__ import annotations

import asyncio
import gc
import os
import runpy
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from google.protobuf import empty_pb2
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.mocks import MockSettings
from pulumi.runtime.stack import run_in_stack
from sdk_state import sdk_defaults_restored

from ._drain import paced_output_drain

Program = Union[Callable[[], Any], str, "os.PathLike[str]"]


@dataclass
class ProgramFailure:
    error: BaseException
    traceback: str


def run_program(
    program: Program,
    *,
    monitor: Any,
    engine: Any,
    project: str,
    stack: str,
    dry_run: bool,
    config: Mapping[str, str],
    secret_keys: list[str],
    parallel: int,
    root_directory: Path,
    env: Mapping[str, str],
) -> ProgramFailure | None:
    """Run ``program`` (a callable, or a project directory with ``__main__.py``) to completion."""
    if callable(program):
        body: Callable[[], Any] = program
        directory = root_directory
    else:
        directory = Path(program).resolve()
        if directory.is_file():
            directory = directory.parent

        def body() -> None:
            runpy.run_path(str(directory), run_name="__main__")

    failure: list[ProgramFailure] = []

    def thread_main() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        loop.set_default_executor(ThreadPoolExecutor(max_workers=max(parallel, 1) * 4))
        try:
            set_all_config(dict(config), list(secret_keys))
            pulumi_settings.configure(
                MockSettings(  # type: ignore[no-untyped-call]
                    monitor=monitor,
                    monitor_features=set(
                        monitor.GetDeploymentInfo(empty_pb2.Empty()).supportedFeatures
                    ),
                    engine=engine,
                    project=project,
                    stack=stack,
                    dry_run=dry_run,
                    organization="organization",
                    root_directory=str(root_directory),
                    parallel=parallel,
                    legacy_apply_enabled=False,
                    callbacks=None,
                    outputs=set(),
                    lock=threading.Lock(),
                    package_refs={},
                    base_providers_by_ref={},
                )
            )
            pulumi_settings.ROOT.set(None)
            loop.run_until_complete(run_in_stack(body))
        except BaseException as error:  # the program's failure is the operation's failure
            failure.append(ProgramFailure(error, traceback.format_exc()))
        finally:
            _close_loop(loop, failed=bool(failure))

    with (
        sdk_defaults_restored(),
        paced_output_drain(),
        _environment(env),
        _project_directory(directory, forget_modules=not callable(program)),
    ):
        runner = threading.Thread(target=thread_main, name="pulumi-program")
        runner.start()
        runner.join()
    return failure[0] if failure else None


def _observe_abandoned_failures(loop: asyncio.AbstractEventLoop) -> None:
    """When a registration fails, the SDK leaves futures whose exception nobody reads, and
    asyncio would log each one ("Future exception was never retrieved", with its traceback) when
    it is collected. The language host silences that logger; here the futures of this run's loop
    are marked as observed instead, once the loop has run its last tasks (which fail more of
    them: the registrations still under way when the program failed)."""
    for candidate in gc.get_objects():
        if (
            isinstance(candidate, asyncio.Future)
            and candidate.get_loop() is loop
            and candidate.done()
            and not candidate.cancelled()
        ):
            candidate.exception()


def _close_loop(loop: asyncio.AbstractEventLoop, *, failed: bool) -> None:
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
        with suppress(BaseException):
            loop.run_until_complete(task)
    with suppress(BaseException):
        loop.run_until_complete(loop.shutdown_default_executor())
    if failed:
        _observe_abandoned_failures(loop)
    loop.close()
    asyncio.set_event_loop(None)


@contextmanager
def _project_directory(directory: Path, *, forget_modules: bool) -> Iterator[None]:
    """cwd and ``sys.path[0]`` as the language host sets them. For a project directory
    program, modules it imported from the project are forgotten afterwards, as they would be
    when the language host exits, so the next operation runs the code on disk. (A callable
    program's modules belong to the caller and are left alone.)"""
    previous_cwd = os.getcwd()
    before = set(sys.modules)
    os.chdir(directory)
    sys.path.insert(0, str(directory))
    try:
        yield
    finally:
        os.chdir(previous_cwd)
        with suppress(ValueError):
            sys.path.remove(str(directory))
        if forget_modules:
            for name in set(sys.modules) - before:
                origin = getattr(sys.modules[name], "__file__", None) or ""
                if origin and Path(origin).resolve().is_relative_to(directory):
                    del sys.modules[name]


@contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
