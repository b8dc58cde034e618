"""Validation and normalization of SipTrunk inputs, driven by the field table.

``check_inputs`` is what the provider's ``check()`` runs: it never raises and never touches the
network. It validates every known value with a pydantic model built from ``_fields.FIELDS``, skips
values that are unknown during a preview, and returns the normalized inputs with one failure per
broken rule, each naming the field and the rule.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import phonenumbers
import pycountry
from pulumi.output import Unknown
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictStr,
    ValidationError,
    create_model,
)
from pydantic_core import PydanticCustomError

from ._fields import ADOPT_ID, FIELDS, FIELDS_BY_NAME, INPUT_NAMES, Field, Kind

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


def _shown(field: Field, value: Any) -> str:
    if field.secret:
        return f"{len(value)} characters" if isinstance(value, str) else "a secret"
    if isinstance(value, str) and len(value) > 40:
        return f"{len(value)} characters"
    return repr(value)


def _broken(field: Field, value: Any, rule: str | None = None) -> PydanticCustomError:
    return PydanticCustomError(
        "rule",
        "{reason}",
        {"reason": f"{field.name} must be {rule or field.rule} (got {_shown(field, value)})"},
    )


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


def _check_ip_list(field: Field, value: list[str]) -> list[str]:
    normalized: list[str] = []
    for position, item in enumerate(value):
        try:
            address = str(ipaddress.ip_address(item))
        except ValueError:
            raise PydanticCustomError(
                "rule",
                "{reason}",
                {
                    "reason": f"{field.name}[{position}] must be an IPv4 or IPv6 address "
                    f"(got {item!r})"
                },
            ) from None
        if address not in normalized:
            normalized.append(address)
    return normalized


def _check_phone_shape(field: Field, value: str) -> str:
    """Only what holds for both trunk types; the rest depends on sip_trunk_type."""
    if not value:
        raise _broken(field, value, "1 to 15 characters, or an E.164 number")
    return value


_CHECKS: dict[Kind, Callable[[Field, Any], Any]] = {
    Kind.TEXT: _check_text,
    Kind.CHOICE: _check_choice,
    Kind.HOST: _check_host,
    Kind.COUNTRY: _check_country,
    Kind.IP_LIST: _check_ip_list,
    Kind.PHONE_NUMBER: _check_phone_shape,
}

_TYPES: dict[Kind, Any] = {
    Kind.BOOLEAN: StrictBool,
    Kind.IP_LIST: list[StrictStr],
}

_TYPE_ERRORS = {
    "string_type": "a string",
    "bool_type": "true or false",
    "list_type": "a list of strings",
}


def _validator(field: Field) -> Any:
    check = _CHECKS.get(field.kind)
    if check is None:
        return None
    return AfterValidator(lambda value: check(field, value))


def _build_model() -> type[BaseModel]:
    definitions: dict[str, Any] = {}
    for field in FIELDS:
        base = _TYPES.get(field.kind, StrictStr)
        validator = _validator(field)
        annotated = Annotated[base, validator] if validator is not None else base
        definitions[field.name] = (annotated | None, None)
    return create_model(
        "SipTrunkInputs",
        __config__=ConfigDict(extra="forbid", frozen=True),
        **definitions,
    )


SipTrunkInputs = _build_model()
"""The pydantic model of the known SIP trunk inputs, generated from the field table."""


def _failures_of(error: ValidationError) -> list[Failure]:
    failures: list[Failure] = []
    for problem in error.errors():
        field_name = str(problem["loc"][0]) if problem["loc"] else ""
        field = FIELDS_BY_NAME.get(field_name)
        if problem["type"] == "rule":
            failures.append(Failure(field_name, problem["msg"]))
        elif field is not None:
            expected = _TYPE_ERRORS.get(problem["type"], field.rule)
            got = type(problem["input"]).__name__
            where = field_name + "".join(f"[{part}]" for part in problem["loc"][1:])
            failures.append(Failure(field_name, f"{where} must be {expected} (got {got})"))
        else:
            failures.append(Failure(field_name, problem["msg"]))
    return failures


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


def _cross_field_failures(
    values: dict[str, Any], pending: set[str], broken: set[str], given: set[str]
) -> list[Failure]:
    """Rules between fields, checked only where every field they read is known and valid."""
    failures: list[Failure] = []
    trunk_type = values.get("sip_trunk_type")
    phone = values.get("phone_number")
    if isinstance(phone, str) and trunk_type == "number":
        e164 = _normalize_e164(phone)
        if e164 is None:
            failures.append(
                Failure(
                    "phone_number",
                    'phone_number must be an E.164 number like +14155551234 for a "number" '
                    f"trunk (got {phone!r})",
                )
            )
        else:
            values["phone_number"] = e164
    elif isinstance(phone, str) and trunk_type == "extension" and len(phone) > 15:
        failures.append(
            Failure(
                "phone_number",
                f'phone_number must be 1 to 15 characters for an "extension" trunk (got {phone!r})',
            )
        )

    authorization = values.get("inbound_authorization_type")
    ips = values.get("allowed_inbound_ips")
    if authorization == "ip" and not ips and "allowed_inbound_ips" not in pending | broken:
        failures.append(
            Failure(
                "allowed_inbound_ips",
                "allowed_inbound_ips must list at least one IP address when "
                'inbound_authorization_type is "ip"',
            )
        )
    if authorization == "auth" and ips is not None:
        failures.append(
            Failure(
                "allowed_inbound_ips",
                'allowed_inbound_ips is only allowed when inbound_authorization_type is "ip" '
                '(with "auth" the API clears the list)',
            )
        )

    for field in FIELDS:
        if field.required and field.name not in given:
            failures.append(Failure(field.name, f"{field.name} is required ({field.rule})"))
    return failures


def _normalize_adopt_id(value: Any) -> tuple[str | None, Failure | None]:
    if isinstance(value, float) and value.is_integer() and value > 0:
        value = str(int(value))
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        value = str(value)
    if isinstance(value, str) and _ADOPT_ID.fullmatch(value):
        return value, None
    return None, Failure(
        ADOPT_ID, f"{ADOPT_ID} must be the numeric id of an existing SIP trunk (got {value!r})"
    )


def check_inputs(news: Mapping[str, Any]) -> CheckedInputs:
    """Validate and normalize the inputs of one SIP trunk; never raises."""
    failures: list[Failure] = []
    pending: dict[str, Any] = {}
    known: dict[str, Any] = {}
    passthrough: dict[str, Any] = {}
    for key, value in news.items():
        if key.startswith("__"):
            passthrough[key] = value
        elif key not in INPUT_NAMES:
            failures.append(
                Failure(
                    key, f"{key} is not an input of SipTrunk (inputs: {', '.join(INPUT_NAMES)})"
                )
            )
        elif value is None:
            continue
        elif is_unknown(value):
            pending[key] = value
        else:
            known[key] = value

    adopt_id = known.pop(ADOPT_ID, None)
    if adopt_id is not None:
        adopt_id, adopt_failure = _normalize_adopt_id(adopt_id)
        if adopt_failure is not None:
            failures.append(adopt_failure)

    if known.get("nickname") == "":
        del known["nickname"]

    values: dict[str, Any] = {}
    broken: set[str] = set()
    try:
        model = SipTrunkInputs.model_validate(known)
    except ValidationError as error:
        field_failures = _failures_of(error)
        failures.extend(field_failures)
        broken = {failure.field for failure in field_failures}
        values = {key: value for key, value in known.items() if key not in broken}
    else:
        values = model.model_dump(exclude_none=True)

    given = set(known) | set(pending)
    failures.extend(_cross_field_failures(values, set(pending), broken, given))

    for field in FIELDS:
        if field.default is not None and field.name not in values and field.name not in pending:
            values[field.name] = field.default
    if adopt_id is not None:
        values[ADOPT_ID] = adopt_id
    ordered = {name: values[name] for name in INPUT_NAMES if name in values}
    ordered.update(pending)
    ordered.update(passthrough)
    return CheckedInputs(ordered, tuple(failures))
