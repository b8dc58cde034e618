"""Keeping secrets out of anything the client keeps, raises or logs.

Two kinds of secret reach the client: the API key, and the ``sip_password`` of a create or update
body. The API never returns a password, but a server may echo what it was sent (in a validation
message, say), so text taken from a response is scrubbed of the literal secrets of the request
that produced it, and any ``sip_password`` value in a kept body is replaced by ``"***"``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from .fields import SECRET_FIELDS

REDACTED = "***"
WITHHELD = "[withheld: it held a secret]"
"""What a value of an API answer that held a secret becomes."""
"""What a secret is replaced with."""


_SANCTUM_TOKEN_SEPARATOR = "|"
# The secret half of a Laravel Sanctum token ("<id>|<secret>") is as sensitive as the whole token;
# it is scrubbed on its own too, unless it is too short to be anything but noise.
_MIN_TOKEN_SECRET_LENGTH = 8


class Scrubber:
    """Replaces a fixed set of secret strings, and every secret field's value, with ``"***"``."""

    __slots__ = ("_secrets",)

    def __init__(self, secrets: Iterable[str]) -> None:
        # Longest first, so a secret that contains another one is replaced whole.
        unique = {secret for secret in secrets if secret}
        self._secrets: tuple[str, ...] = tuple(sorted(unique, key=len, reverse=True))

    @classmethod
    def for_request(cls, api_key: str, body: object = None) -> Scrubber:
        """The scrubber for one request: its API key and any password in its body."""
        return cls([*api_key_variants(api_key), *secret_field_values(body)])

    def text(self, text: str) -> str:
        """``text`` with every occurrence of a secret replaced by ``"***"``."""
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def json(self, value: object) -> Any:
        """A copy of a parsed JSON value with secret fields redacted, and every string or number
        that holds a secret withheld whole: replacing only the secret would show which part of a
        known message it was."""
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return WITHHELD if self._holds_secret(str(value)) else value
        if isinstance(value, Mapping):
            return {
                self.text(str(key)): REDACTED if _is_secret_value(key, item) else self.json(item)
                for key, item in value.items()
            }
        if isinstance(value, list | tuple):
            return [self.json(item) for item in value]
        return value

    def _holds_secret(self, text: str) -> bool:
        return any(secret in text for secret in self._secrets)

    def __repr__(self) -> str:
        return f"Scrubber(<{len(self._secrets)} secrets>)"


def api_key_variants(api_key: str) -> list[str]:
    """The strings that reveal ``api_key``: the key itself and, for a Sanctum token, its secret."""
    variants = [api_key]
    _, separator, token_secret = api_key.partition(_SANCTUM_TOKEN_SEPARATOR)
    if separator and len(token_secret) >= _MIN_TOKEN_SECRET_LENGTH:
        variants.append(token_secret)
    return variants


def secret_field_values(value: object) -> list[str]:
    """Every value of a secret field (``sip_password``) anywhere in a JSON-like value, as text."""
    found: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if _is_secret_value(key, item):
                found.append(item if isinstance(item, str) else json.dumps(item))
            else:
                found.extend(secret_field_values(item))
    elif isinstance(value, list | tuple):
        for item in value:
            found.extend(secret_field_values(item))
    return found


def _is_secret_value(key: object, item: object) -> bool:
    # Only a scalar is a password: under a secret key, a list or object is something else, such
    # as the validation messages of a 422 (``"errors": {"sip_password": ["..."]}``).
    return (
        key in SECRET_FIELDS and item is not None and not isinstance(item, Mapping | list | tuple)
    )
