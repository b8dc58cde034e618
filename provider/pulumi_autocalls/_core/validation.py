"""Validation and normalization of SipTrunk inputs, driven by the field table.

``check_inputs`` is what a provider's ``check`` runs: it never raises and never touches the
network. It is a sequence of plain steps over the known values (values unknown during a preview
are skipped): sort the given keys; check each value's type by its kind (step 1), then its rule,
which returns the normalized value (step 2); then the rules between fields, which return a
normalized copy (step 3); then the required fields (step 4); then the defaults (step 5). A value's
failure reads ``<field> must be <rule> (got <what>)``, made in one place (``_failure``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import phonenumbers
import pycountry
from pulumi.output import Unknown

from .fields import ADOPT_ID, FIELDS, INPUT_NAMES, Field, Kind

_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
_E164_SEPARATORS = re.compile(r"[\s().-]")
_ADOPT_ID = re.compile(r"[1-9][0-9]{0,18}")


@dataclass(frozen=True)
class Failure:
    """One broken rule: the input it concerns and a sentence that names the field and the rule."""

    field: str
    reason: str


@dataclass(frozen=True)
class CheckedInputs:
    inputs: dict[str, Any]
    failures: tuple[Failure, ...]


def is_unknown(value: Any) -> bool:
    """True for a value that is not known yet (preview), at any depth."""
    if isinstance(value, Unknown):
        return True
    if isinstance(value, list):
        return any(is_unknown(item) for item in value)
    if isinstance(value, dict):
        return any(is_unknown(item) for item in value.values())
    return False


class Broken(Exception):
    """A value breaks its field's rule; ``where`` names the item of a list that does."""

    def __init__(self, rule: str, got: str, where: str = "") -> None:
        super().__init__(rule)
        self.rule = rule
        self.got = got
        self.where = where

    def with_where(self, where: str) -> Broken:
        return Broken(self.rule, self.got, where)


def _shown(field: Field, value: Any) -> str:
    """The value as a message may show it: never a secret, never a long text."""
    if field.secret:
        return f"{len(value)} characters" if isinstance(value, str) else "a secret"
    if isinstance(value, str) and len(value) > 40:
        return f"{len(value)} characters"
    return repr(value)


def _failure(field: Field, broken: Broken) -> Failure:
    """The one formula of every value's failure: ``<field> must be <rule> (got <what>)``."""
    where = field.name + broken.where
    return Failure(field.name, f"{where} must be {broken.rule} (got {broken.got})")


def _broken(field: Field, value: Any, rule: str | None = None) -> Broken:
    return Broken(rule or field.rule, _shown(field, value))


# -- step 1: the type of each kind -------------------------------------------------------------

_TYPE_NAMES = {str: "a string", bool: "true or false"}


def _check_type(field: Field, value: Any) -> list[Broken]:
    """The value's shape by its kind: a string, a boolean, or a list of strings."""
    if field.kind is Kind.BOOLEAN:
        expected: type = bool
    elif field.kind is Kind.IP_LIST:
        if not isinstance(value, list | tuple):
            return [Broken("a list of strings", type(value).__name__)]
        broken = []
        for position, item in enumerate(value):
            if not isinstance(item, str):
                broken.append(Broken("a string", type(item).__name__, f"[{position}]"))
            elif not _sendable(item):
                broken.append(_UNSENDABLE.with_where(f"[{position}]"))
        return broken
    else:
        expected = str
    if isinstance(value, expected):
        return [_UNSENDABLE] if isinstance(value, str) and not _sendable(value) else []
    return [Broken(_TYPE_NAMES[expected], type(value).__name__)]


# A lone UTF-16 surrogate cannot be encoded as UTF-8, so the request body could not be sent.
_UNSENDABLE = Broken("text without unpaired UTF-16 surrogates", "an unpaired surrogate")


def _sendable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# -- step 2: the rule of each kind, returning the normalized value -----------------------------
def _check_text(field: Field, value: str) -> str:
    too_short = field.min_length is not None and len(value) < field.min_length
    too_long = field.max_length is not None and len(value) > field.max_length
    if too_short or too_long:
        raise _broken(field, value)
    return value


def _check_choice(field: Field, value: str) -> str:
    if value not in field.choices:
        raise _broken(field, value)
    return value


def _check_host(field: Field, value: str) -> str:
    try:
        ipaddress.ip_address(value)
        return value
    except ValueError:
        pass
    labels = value.split(".")
    if len(value) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        raise _broken(field, value)
    if labels[-1].isdigit():  # "10.0.0.300", "1.2.3": a malformed IP address, not a host name
        raise _broken(field, value)
    return value


# Read when the module loads, not on the first check: pycountry loads its ISO 3166 database
# lazily (about 2 ms), which would otherwise land on one check per provider process.
_ISO_ALPHA_2_CODES = frozenset(country.alpha_2 for country in pycountry.countries)


def _check_country(field: Field, value: str) -> str:
    # Checked before upper-casing: Unicode case rules turn "ß" into "SS".
    if len(value) != 2 or not value.isascii() or not value.isalpha():
        raise _broken(field, value)
    code = value.upper()
    if code not in _ISO_ALPHA_2_CODES:
        raise _broken(field, value)
    return code


def _check_ip_list(field: Field, value: list[str] | tuple[str, ...]) -> list[str]:
    normalized: list[str] = []
    for position, item in enumerate(value):
        try:
            address = str(ipaddress.ip_address(item))
        except ValueError:
            raise Broken("an IPv4 or IPv6 address", repr(item), f"[{position}]") from None
        if address not in normalized:
            normalized.append(address)
    return normalized


def _check_phone_shape(field: Field, value: str) -> str:
    """Only what holds for both trunk types; the rest depends on sip_trunk_type."""
    if not value:
        raise _broken(field, value, "1 to 15 characters, or an E.164 number")
    return value


_RULES: dict[Kind, Callable[[Field, Any], Any]] = {
    Kind.TEXT: _check_text,
    Kind.CHOICE: _check_choice,
    Kind.HOST: _check_host,
    Kind.COUNTRY: _check_country,
    Kind.IP_LIST: _check_ip_list,
    Kind.PHONE_NUMBER: _check_phone_shape,
}


def _checked_value(field: Field, value: Any) -> tuple[Any, list[Failure]]:
    """Steps 1 and 2 for one value: its normalized form, or the failures that say why not."""
    broken = _check_type(field, value)
    if not broken:
        rule = _RULES.get(field.kind)
        try:
            return (value if rule is None else rule(field, value)), []
        except Broken as error:
            broken = [error]
    return None, [_failure(field, error) for error in broken]


# -- step 3: the rules between fields ------------------------------------------------------------


def _normalize_e164(value: str) -> str | None:
    """``value`` without its visual separators, if that is a possible E.164 number.

    The digits are kept exactly as written: libphonenumber's own formatting would rewrite some
    valid numbers (dropping a national prefix, for one) and the trunk would get another DID.
    """
    compact = _E164_SEPARATORS.sub("", value)
    if not _E164.fullmatch(compact):
        return None
    try:
        parsed = phonenumbers.parse(compact, None)
    except phonenumbers.NumberParseException:
        return None
    return compact if phonenumbers.is_possible_number(parsed) else None


def _phone_for_trunk_type(values: dict[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
    """phone_number by sip_trunk_type: an E.164 number (normalized) or an extension."""
    trunk_type, phone = values.get("sip_trunk_type"), values.get("phone_number")
    if not isinstance(phone, str):
        return values, []
    if trunk_type == "number":
        e164 = _normalize_e164(phone)
        if e164 is None:
            reason = (
                'phone_number must be an E.164 number like +14155551234 for a "number" '
                f"trunk (got {phone!r})"
            )
            return values, [Failure("phone_number", reason)]
        return {**values, "phone_number": e164}, []
    if trunk_type == "extension" and len(phone) > 15:
        reason = f'phone_number must be 1 to 15 characters for an "extension" trunk (got {phone!r})'
        return values, [Failure("phone_number", reason)]
    return values, []


def _ip_list_for_authorization(
    values: dict[str, Any], unsettled: set[str]
) -> tuple[dict[str, Any], list[Failure]]:
    """allowed_inbound_ips: required with "ip" authorization, and only allowed with it."""
    authorization, ips = values.get("inbound_authorization_type"), values.get("allowed_inbound_ips")
    if authorization == "ip" and not ips and "allowed_inbound_ips" not in unsettled:
        reason = (
            "allowed_inbound_ips must list at least one IP address when "
            'inbound_authorization_type is "ip"'
        )
        return values, [Failure("allowed_inbound_ips", reason)]
    if authorization == "auth" and ips is not None:
        reason = (
            'allowed_inbound_ips is only allowed when inbound_authorization_type is "ip" '
            '(with "auth" the API clears the list)'
        )
        return values, [Failure("allowed_inbound_ips", reason)]
    return values, []


# -- adopt_id: ours, not the API's ----------------------------------------------------------------


def _checked_adopt_id(value: Any) -> tuple[str | None, list[Failure]]:
    if isinstance(value, float) and value.is_integer() and value > 0:
        value = str(int(value))
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        value = str(value)
    if isinstance(value, str) and _ADOPT_ID.fullmatch(value):
        return value, []
    reason = f"{ADOPT_ID} must be the numeric id of an existing SIP trunk (got {value!r})"
    return None, [Failure(ADOPT_ID, reason)]


# -- the steps in order ---------------------------------------------------------------------------


class _Given:
    """The inputs as given, sorted: known values, values unknown in preview, engine entries."""

    def __init__(self) -> None:
        self.known: dict[str, Any] = {}
        self.pending: dict[str, Any] = {}
        self.passthrough: dict[str, Any] = {}
        self.failures: list[Failure] = []


def _sorted_out(news: Mapping[str, Any]) -> _Given:
    given = _Given()
    for key, value in news.items():
        if key.startswith("__"):
            given.passthrough[key] = value
        elif key not in INPUT_NAMES:
            inputs = ", ".join(INPUT_NAMES)
            reason = f"{key} is not an input of SipTrunk (inputs: {inputs})"
            given.failures.append(Failure(key, reason))
        elif value is None or (key == "nickname" and value == ""):
            continue  # absent: an empty nickname is no nickname
        elif is_unknown(value):
            given.pending[key] = value
        else:
            given.known[key] = value
    return given


def check_inputs(news: Mapping[str, Any], *, creating: bool = True) -> CheckedInputs:
    """Validate and normalize the inputs of one SIP trunk; never raises.

    ``creating=False`` checks the inputs of a trunk that exists already: its required write-only
    fields may then be left out (the API never shows them; left out, they keep their value).
    """
    given = _sorted_out(news)
    failures = list(given.failures)

    adopt_id = None
    if ADOPT_ID in given.known:
        adopt_id, adopt_failures = _checked_adopt_id(given.known[ADOPT_ID])
        failures += adopt_failures

    values: dict[str, Any] = {}
    broken: set[str] = set()
    for field in FIELDS:
        if field.name in given.known:
            value, fieldfailures = _checked_value(field, given.known[field.name])
            if fieldfailures:
                failures += fieldfailures
                broken.add(field.name)
            else:
                values[field.name] = value

    cross_fieldfailures: list[Failure] = []
    values, found = _phone_for_trunk_type(values)
    cross_fieldfailures += found
    values, found = _ip_list_for_authorization(values, broken | set(given.pending))
    cross_fieldfailures += found
    failures += cross_fieldfailures

    present = set(given.known) | set(given.pending)
    failures += [
        Failure(f.name, f"{f.name} is required ({f.rule})")
        for f in FIELDS
        if f.required and f.name not in present and (creating or not f.write_only)
    ]

    for field in FIELDS:
        if field.default is not None and field.name not in values | given.pending:
            values[field.name] = field.default
    if adopt_id is not None:
        values[ADOPT_ID] = adopt_id
    ordered = {name: values[name] for name in INPUT_NAMES if name in values}
    return CheckedInputs({**ordered, **given.pending, **given.passthrough}, tuple(failures))
