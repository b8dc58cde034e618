"""The one reader of JSON request bodies, for the API routes, the control routes and the journal.

It takes strict JSON only (no NaN or Infinity, which json.dumps would echo back as invalid JSON),
nested at most MAX_JSON_DEPTH levels (deeper values overflow the recursion of the code that walks
them), whose strings are valid Unicode (an unpaired surrogate cannot be encoded as UTF-8: SQLite
and every JSON answer would fail on it).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ._validation import BODY_NOT_JSON, BODY_NOT_UNICODE, BODY_TOO_DEEP, MAX_JSON_DEPTH

# json.loads pairs a valid surrogate pair into one character: any surrogate left is unpaired.
_SURROGATE = re.compile("[\ud800-\udfff]")


class UnreadableJson(ValueError):
    """The body is not JSON the emulator takes; the message is the reason, for a 422."""


def read_json(raw: bytes) -> Any:
    """The JSON value of `raw`, or UnreadableJson."""
    try:
        value = json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError as error:
        raise UnreadableJson(BODY_TOO_DEEP) from error
    except ValueError as error:
        raise UnreadableJson(BODY_NOT_JSON) from error
    _check_depth_and_text(value)
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _check_depth_and_text(value: Any) -> None:
    # A loop over a stack, not recursion: the value may be nested a few hundred levels deep.
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise UnreadableJson(BODY_NOT_UNICODE)
        elif isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise UnreadableJson(BODY_TOO_DEEP)
            if isinstance(item, dict):
                pending.extend((key, depth) for key in item)
                pending.extend((child, depth + 1) for child in item.values())
            else:
                pending.extend((child, depth + 1) for child in item)
