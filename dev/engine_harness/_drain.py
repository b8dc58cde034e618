"""Pacing of the Python SDK's output drain loop while a program runs inside the harness.

When the program body has returned, ``pulumi.runtime.stack.wait_for_rpcs`` waits for every
``Output`` to resolve: it loops on ``asyncio.wait(outputs, return_when=FIRST_COMPLETED)`` and puts
the unfinished ones back, so each pass costs time in proportion to the pending outputs (about 23
per SipTrunk), and a pass starts each time one output resolves. Under the real language host the
program has a process, and a GIL, of its own. Here it shares the GIL with the harness's engine
threads, so passes slowed the engine down, which left more pending outputs and caused more passes.
A no-change preview of 500 trunks spent about 19 s of CPU in that loop, and an up at 50 ms API
latency kept the provider's four workers only 43% busy.

``paced_output_drain`` gives the SDK's ``stack`` module an ``asyncio`` whose ``wait`` keeps the
FIRST_COMPLETED contract (it returns once at least one future is done, with the done and the
pending ones), with two differences:

- it finds the done futures with one ``done()`` scan, and when none is done it waits for a
  callback put once on each future for the whole run, instead of attaching and removing a
  callback on every pending future at every pass;
- consecutive passes are spaced by up to 10 µs per pending future (at most 0.1 s), so outputs
  that resolve in a burst are collected in one pass. Small programs are not delayed.

Nothing else changes. Registrations, outputs and the program's own awaits resolve as before. The
end of the program is noticed at most one spacing interval later.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from pulumi.runtime import stack as sdk_stack

SPACING_PER_PENDING_S = 10e-6
MAX_SPACING_S = 0.1


class _PacedAsyncio:
    """``asyncio`` as the SDK's ``stack`` module sees it while a program runs."""

    def __init__(self) -> None:
        self._last_pass: float | None = None
        self._watched: set[asyncio.Future[Any]] = set()
        self._completion: asyncio.Event | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    async def wait(
        self,
        fs: Iterable[Any],
        *,
        timeout: float | None = None,
        return_when: str = asyncio.ALL_COMPLETED,
    ) -> tuple[set[Any], set[Any]]:
        futures = set(fs)
        if (
            return_when != asyncio.FIRST_COMPLETED
            or timeout is not None
            or not futures
            or not all(asyncio.isfuture(future) for future in futures)
        ):
            finished, unfinished = await asyncio.wait(
                futures, timeout=timeout, return_when=return_when
            )
            return set(finished), set(unfinished)
        loop = asyncio.get_running_loop()
        if self._last_pass is not None:
            spacing = min(MAX_SPACING_S, SPACING_PER_PENDING_S * len(futures))
            delay = self._last_pass + spacing - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
        if self._completion is None:
            self._completion = asyncio.Event()
        while True:
            done = {future for future in futures if future.done()}
            if done:
                break
            # One callback per future for the whole run (not one per pass): any completion
            # wakes this wait up.
            self._completion.clear()
            for future in futures - self._watched:
                future.add_done_callback(self._completed)
                self._watched.add(future)
            await self._completion.wait()
        self._last_pass = loop.time()
        return done, futures - done

    def _completed(self, future: asyncio.Future[Any]) -> None:
        self._watched.discard(future)
        if self._completion is not None:
            self._completion.set()


@contextmanager
def paced_output_drain() -> Iterator[None]:
    """Pace the SDK's output drain loop for one program run (see the module docstring)."""
    if getattr(sdk_stack, "asyncio", None) is not asyncio:  # another SDK layout: leave it
        yield
        return
    setattr(sdk_stack, "asyncio", _PacedAsyncio())  # noqa: B010 (a module's global, on purpose)
    try:
        yield
    finally:
        setattr(sdk_stack, "asyncio", asyncio)  # noqa: B010
