"""The throwaway trunk of ``doctor --write``: its values, the changes the walk makes to them, and
its removal.

Every value is made from the field table by the field's kind, so a new field gets a value (and
an update step in the walk) without an edit here. The trunk is recognizable (its nickname and
its username carry ``pulumi-autocalls doctor`` and the run's marker) and cannot collide with a
trunk of the account: its username is new, and its extension is a 15-digit number that no listed
trunk has.
"""

from __future__ import annotations

import secrets
import signal
import string
import textwrap
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from .._core.client import AutocallsClient
from .._core.fields import FIELDS, FIELDS_BY_NAME, Field, Kind
from .._core.validation import check_inputs
from .._exceptions import AutocallsError, NotFoundError, UnexpectedResponseError
from .report import Check, Deviation

NAME = "pulumi-autocalls doctor"
_EXTENSION_PREFIX = "99"
_EXTENSION_DIGITS = 13
"""After the prefix: 15 characters, the longest extension the API takes."""
_COUNTRIES = ("US", "GB")
# Documentation address ranges (RFC 5737): never a real carrier.
_ADDRESSES = ("192.0.2.10", "198.51.100.20", "203.0.113.30")
_DOMAIN = "example.com"
_PLAN_WIDTH = 96


class Unreachable(ValueError):
    """The trunk cannot be brought to a step's values from where an earlier step left it."""


@dataclass
class Throwaway:
    """One run's throwaway trunk."""

    marker: str
    taken_numbers: set[str] = field(default_factory=set)
    passwords: list[str] = field(default_factory=list)
    """Every password made up for this run, to keep them out of the report."""
    inputs: dict[str, Any] = field(default_factory=dict)
    """The trunk's checked inputs as it is created."""

    @classmethod
    def new(cls) -> Throwaway:
        """A run with its trunk's inputs: each field's default or first choice, else a made-up
        value; a field that only goes with another field's other choice (the allow-list) is left
        out."""
        run = cls(secrets.token_hex(4))
        values: dict[str, Any] = {}
        for item in FIELDS:
            if item.default is not None:
                values[item.name] = item.default
            elif item.kind in _FIRST_VALUES:
                values[item.name] = _FIRST_VALUES[item.kind](run, item)
        run.inputs = run.checked(values)
        return run

    @property
    def username_prefix(self) -> str:
        return f"{NAME.replace(' ', '-')}-{self.marker}"

    def avoid(self, numbers: set[str]) -> None:
        """Take ``numbers`` (the account's) as used, and give the trunk another if it has one."""
        self.taken_numbers |= numbers
        for item in FIELDS:
            if item.kind is Kind.PHONE_NUMBER and self.inputs.get(item.name) in numbers:
                self.inputs = self.checked({**self.inputs, item.name: self.extension()})

    def checked(self, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` through the provider's own check, or ``Unreachable`` saying why not."""
        result = check_inputs(values)
        if result.failures:
            raise Unreachable("; ".join(failure.reason for failure in result.failures))
        return result.inputs

    def changed(self, item: Field, current: Any) -> Any:
        """A valid value of ``item`` that differs from ``current``."""
        return _CHANGES[item.kind](self, item, current)

    def plan(self, base_url: str) -> str:
        """What ``--write`` will do, said before it asks."""
        shown = [
            f"  {name:<27} {'(random, not shown)' if FIELDS_BY_NAME[name].secret else value}"
            for name, value in self.inputs.items()
        ]
        what_then = textwrap.fill(
            "It walks the trunk through the documented behaviour (an update of each field, a "
            "switch of the inbound authorization and back, a duplicate, requests the API should "
            "refuse), then deletes it, also when a check fails or on Ctrl-C. Your other trunks "
            "are only read.",
            width=_PLAN_WIDTH,
        )
        return "\n".join(
            [f"doctor --write creates one throwaway SIP trunk at {base_url}:", *shown, what_then]
        )

    def extension(self) -> str:
        """An extension no trunk of the account (or of this run) has."""
        while True:
            random_digits = (secrets.choice(string.digits) for _ in range(_EXTENSION_DIGITS))
            number = _EXTENSION_PREFIX + "".join(random_digits)
            if number not in self.taken_numbers:
                self.taken_numbers.add(number)
                return number

    def password(self) -> str:
        value = secrets.token_urlsafe(18)
        self.passwords.append(value)
        return value


def _first_text(run: Throwaway, item: Field) -> str:
    if item.secret:
        return run.password()
    return run.username_prefix[-(item.max_length or 0) :]


_FIRST_VALUES: dict[Kind, Callable[[Throwaway, Field], Any]] = {
    Kind.TEXT: _first_text,
    Kind.CHOICE: lambda _run, item: item.choices[0],
    Kind.BOOLEAN: lambda _run, _item: False,
    Kind.PHONE_NUMBER: lambda run, _item: run.extension(),
    Kind.HOST: lambda run, _item: f"{run.username_prefix}.{_DOMAIN}",
    Kind.COUNTRY: lambda _run, _item: _COUNTRIES[0],
}


def _changed_text(run: Throwaway, item: Field, current: Any) -> str:
    if item.secret:
        return run.password()
    return f"{current}-b"[-item.max_length :] if item.max_length else f"{current}-b"


def _changed_list(_run: Throwaway, _item: Field, current: Any) -> list[str]:
    present = list(current or [])
    return [*present, next(address for address in _ADDRESSES if address not in present)]


def _other(options: Sequence[Any], current: Any) -> Any:
    return next(option for option in options if option != current)


_CHANGES: dict[Kind, Callable[[Throwaway, Field, Any], Any]] = {
    Kind.TEXT: _changed_text,
    Kind.CHOICE: lambda _run, item, current: _other(item.choices, current),
    Kind.BOOLEAN: lambda _run, _item, current: not current,
    Kind.PHONE_NUMBER: lambda run, _item, _current: run.extension(),
    Kind.HOST: lambda _run, _item, current: f"b.{current}",
    Kind.IP_LIST: _changed_list,
    Kind.COUNTRY: lambda _run, _item, current: _other(_COUNTRIES, current),
}


def remove(client: AutocallsClient, run: Throwaway, known_ids: Collection[int]) -> Check:
    """Delete every trunk this run made: the ids it saw, and any listed trunk with its username.

    Each is confirmed on the SIP trunk route first, as the provider does: the delete route also
    releases paid phone numbers. Ctrl-C is held off meanwhile.
    """
    with _ctrl_c_held():
        return _remove(client, run, known_ids)


def _remove(client: AutocallsClient, run: Throwaway, known_ids: Collection[int]) -> Check:
    candidates = set(known_ids)
    deviations = []
    try:
        listed = client.list_sip_trunks()
        candidates |= {t.id for t in listed if run.username_prefix in t.sip_username}
    except AutocallsError:
        pass  # the list check reports it; the known ids are still removed
    removed = []
    for trunk_id in sorted(candidates):
        try:
            _confirm_sip_trunk(client, trunk_id)
            client.delete_sip_trunk(trunk_id)
            removed.append(trunk_id)
        except NotFoundError:
            continue
        except AutocallsError as error:
            deviations.append(
                Deviation(
                    f"trunk {trunk_id} left: {error.message}",
                    f"delete it yourself (its username starts with {run.username_prefix})",
                    False,
                )
            )
    seen = f"deleted {', '.join(map(str, removed))}" if removed else "nothing left to delete"
    return Check("cleanup", "no trunk of this run left", seen, tuple(deviations))


def _confirm_sip_trunk(client: AutocallsClient, trunk_id: int) -> None:
    # A success the client cannot read still says the SIP trunk route has this trunk.
    with suppress(UnexpectedResponseError):
        client.get_sip_trunk(trunk_id)


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Ctrl-C is ignored meanwhile (signals can only be handled in the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
