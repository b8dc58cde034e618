"""``pulumi-resource-autocalls``: the native provider's plugin process, as the engine starts it.

The engine runs ``pulumi-resource-autocalls [--logtostderr] [-v=N] [--logflow] [--tracing X]
<engine address>``: flags it may add, then its address, last (Pulumi's Python language host,
running the plugin folder, puts the address first and the flags after it). The plugin serves
``pulumirpc.ResourceProvider`` on 127.0.0.1, prints the port as the first line of stdout, and
writes nothing else there; its log goes to stderr, which the engine keeps in its debug log.

Calls are served by a thread pool larger than any parallelism the engine uses by default (4 per
core), so that every step the engine runs at once has a thread; all of them share one API client.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from concurrent import futures
from types import FrameType

import grpc
from pulumi.runtime.proto import provider_pb2_grpc

from .engine import EngineLog
from .servicer import SipTrunkProvider

WORKERS = max(64, 4 * (os.cpu_count() or 1))
_VERBOSE_LEVEL = 7
"""From ``-v=7`` on, the log also has the client's DEBUG lines (one per request, no bodies)."""


_FLAGS_WITH_VALUE = frozenset({"--tracing"})


def engine_address(argv: list[str]) -> str | None:
    """The engine's address: the last argument that is neither a flag nor a flag's value."""
    address = None
    arguments = iter(argv)
    for argument in arguments:
        if argument in _FLAGS_WITH_VALUE:
            next(arguments, None)
        elif not argument.startswith("-"):
            address = argument
    return address


def _log_level(argv: list[str]) -> int:
    for argument in argv:
        if argument.startswith("-v=") and argument[3:].isdigit():
            return logging.DEBUG if int(argument[3:]) >= _VERBOSE_LEVEL else logging.INFO
    return logging.INFO


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    logging.basicConfig(stream=sys.stderr, level=_log_level(arguments), format="%(message)s")
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="autocalls-rpc")
    )
    provider = SipTrunkProvider(EngineLog(engine_address(arguments)))
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(provider, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()

    stopping = threading.Event()

    def stop(_signal: int, _frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    stopping.wait()
    server.stop(grace=1).wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
