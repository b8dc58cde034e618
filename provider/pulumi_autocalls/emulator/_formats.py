"""Pure predicates for the value formats the emulator checks: IPs, host names, E.164, countries."""

from __future__ import annotations

import ipaddress
import re

import phonenumbers
import pycountry

_E164_SHAPE = re.compile(r"\+[1-9][0-9]{0,14}")
_HOST_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_MAX_HOST_NAME_LENGTH = 253


def is_ip_address(value: object) -> bool:
    """True for a single IPv4 or IPv6 address: no CIDR range, brackets, port or zone index."""
    if not isinstance(value, str) or "%" in value:
        return False
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def is_host_name(value: str) -> bool:
    """True for an RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens."""
    if len(value) > _MAX_HOST_NAME_LENGTH:
        return False
    labels = value.split(".")
    if not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return False
    # An all-digit last label ("1.2.3", "999.0.0.1") is a malformed IP, not a host name.
    return not labels[-1].isdigit()


def is_sip_server_address(value: str) -> bool:
    """True for a bare host name or IP address: no scheme, port, path, user part or spaces."""
    return is_ip_address(value) or is_host_name(value)


def is_e164_number(value: str) -> bool:
    """True for `+` and 1-15 digits (first 1-9) that libphonenumber calls a possible number."""
    if not _E164_SHAPE.fullmatch(value):
        return False
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_possible_number(parsed))


def country_codes() -> list[str]:
    """Every ISO 3166-1 alpha-2 code, upper case, sorted."""
    return sorted(str(country.alpha_2) for country in pycountry.countries)


def normalize_country_code(value: str) -> str | None:
    """The upper-case ISO 3166-1 alpha-2 code for `value` (any case), or None if there is none."""
    if len(value) != 2 or not value.isascii() or not value.isalpha():
        return None
    code = value.upper()
    return code if pycountry.countries.get(alpha_2=code) is not None else None
