"""Running a Pulumi program in this process without leaving the SDK's global state behind.

Both engines of the test suite run programs in the test process: the engine harness, and the
Automation API's inline programs on the real CLI.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pulumi import _utils as pulumi_utils
from pulumi.runtime import settings as pulumi_settings


@contextmanager
def sdk_defaults_restored() -> Iterator[None]:
    """The SDK's settings are ContextVar-backed properties whose *default* is replaced the first
    time a value is set in a fresh context. Put the defaults back so that nothing from this run
    (the monitor, the stack, dry_run) leaks into threads that never configured the SDK."""
    properties = [
        value
        for value in vars(pulumi_settings.Settings).values()
        if isinstance(value, pulumi_utils.ContextProperty)
    ]
    attribute = "_ContextProperty__default"
    saved = [(prop, getattr(prop, attribute)) for prop in properties if hasattr(prop, attribute)]
    try:
        yield
    finally:
        for prop, default in saved:
            setattr(prop, attribute, default)
