"""How the dynamic face's failures read in the Pulumi CLI: our sentence on the first line.

Since Pulumi 3.260 the dynamic-provider server answers every exception with the whole Python
traceback (``traceback.format_exc()``), and the CLI prints that text as the error; on the
resource's row it shows only its first line, which would be ``Traceback (most recent call
last):``. Python prints a chained cause before the exception, and a cause that was never raised
has no traceback, so it prints as its one line. Each error of the autocalls API is therefore
raised again from a headline that carries its sentence::

    autocalls: create SIP trunk failed: HTTP 409 Conflict: A SIP trunk with ... already exists.

    The above exception was the direct cause of the following exception:

    Traceback (most recent call last):
      ...
    pulumi_autocalls._exceptions.ConflictError: create SIP trunk failed: HTTP 409 Conflict: ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from .._exceptions import AutocallsError

_Params = ParamSpec("_Params")
_Result = TypeVar("_Result")


class _Headline(Exception):
    """The first line of a failure as the CLI prints it: ``autocalls: <sentence>``."""


# Python names an exception type by its module and qualified name unless the module is builtins.
_Headline.__module__ = "builtins"
_Headline.__qualname__ = "autocalls"


def headlined(operation: Callable[_Params, _Result]) -> Callable[_Params, _Result]:
    """``operation``, its API errors raised from a headline with their sentence."""

    @functools.wraps(operation)
    def run(*args: _Params.args, **kwargs: _Params.kwargs) -> _Result:
        try:
            return operation(*args, **kwargs)
        except AutocallsError as error:
            # The traceback of the client's frames says nothing a user can act on.
            raise error.with_traceback(None) from _Headline(error.message)

    return run
