"""The plugin host of one engine run: starts the ``pulumi-python`` process on first use."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._server import OutputLine, ProviderError, ProviderProcess, ProviderStartError, RpcCall


class ProviderUnavailableError(Exception):
    """The provider could not be started or configured; the text is what the CLI would show."""


class ProviderHost:
    """Owns at most one provider process per operation, like the engine's plugin context.

    The first caller decides the configuration (the stack config for a program run, the stored
    config for refresh, destroy, or deletes when the program no longer uses the provider).
    """

    def __init__(self, *, python: str, cwd: Path, env: Mapping[str, str]) -> None:
        self._python = python
        self._cwd = cwd
        self._env = dict(env)
        self._lock = threading.Lock()
        self._process: ProviderProcess | None = None
        self._failure: str | None = None
        self._retired: list[ProviderProcess] = []

    @property
    def started(self) -> bool:
        return self._process is not None

    def ensure(
        self,
        *,
        provider_urn: str,
        provider_id: str,
        config: Mapping[str, Any],
        in_state: bool,
    ) -> ProviderProcess:
        with self._lock:
            if self._failure is not None:
                raise ProviderUnavailableError(self._failure)
            if self._process is not None:
                return self._process
            process = ProviderProcess(python=self._python, cwd=self._cwd, env=self._env)
            try:
                process.start()
                process.configure(
                    provider_urn=provider_urn,
                    provider_id=provider_id,
                    config=config,
                    in_state=in_state,
                )
            except (ProviderStartError, ProviderError) as error:
                process.close()
                self._retired.append(process)
                self._failure = str(error)
                raise ProviderUnavailableError(self._failure) from error
            self._process = process
            return process

    def close(self) -> None:
        with self._lock:
            if self._process is not None:
                self._process.close()
                self._retired.append(self._process)
                self._process = None

    @property
    def output(self) -> list[OutputLine]:
        return [line for process in self._all() for line in process.output]

    @property
    def calls(self) -> list[RpcCall]:
        return [call for process in self._all() for call in process.calls]

    def _all(self) -> list[ProviderProcess]:
        return [*self._retired, *([self._process] if self._process else [])]
