"""The SDK's output drain loop, paced while a program runs (harness/_drain.py)."""

from __future__ import annotations

import asyncio

from engine_harness._drain import paced_output_drain
from pulumi.runtime import stack as sdk_stack


def test_the_sdk_stack_module_gets_its_asyncio_back() -> None:
    with paced_output_drain():
        assert getattr(sdk_stack, "asyncio") is not asyncio  # noqa: B009
    assert getattr(sdk_stack, "asyncio") is asyncio  # noqa: B009


def test_first_completed_wait_keeps_its_contract() -> None:
    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        done_already: asyncio.Future[int] = loop.create_future()
        done_already.set_result(1)
        later: asyncio.Future[int] = loop.create_future()
        never: asyncio.Future[int] = loop.create_future()
        with paced_output_drain():
            paced = getattr(sdk_stack, "asyncio")  # noqa: B009
            done, pending = await paced.wait(
                [done_already, later, never], return_when=asyncio.FIRST_COMPLETED
            )
            assert (done, pending) == ({done_already}, {later, never})

            loop.call_later(0.01, later.set_result, 2)
            done, pending = await paced.wait([later, never], return_when=asyncio.FIRST_COMPLETED)
            assert (done, pending) == ({later}, {never})

            done, pending = await paced.wait([never], timeout=0.01)
            assert (done, pending) == (set(), {never})
        never.cancel()

    asyncio.run(scenario())
