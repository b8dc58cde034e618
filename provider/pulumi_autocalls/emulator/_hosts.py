"""Which hosts are this machine's own: loopback names and addresses, in a listen address, a Host
header or an Origin header. Standard library only (the command line checks --host before it
imports the server). The provider's client has its own test for its base URL: the emulator
imports nothing from the provider."""

from __future__ import annotations

import ipaddress
import re

# Host header: a name or IPv4 address, or an IPv6 address in brackets; then an optional port.
# Anything else (user info, paths, several hosts) is not a host, let alone a loopback one.
_HOST_HEADER = re.compile(r"(?:\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9._-]+))(?::\d+)?")
_ORIGIN = re.compile(r"https?://(?P<host>[^/?#]+)")


def is_loopback_host(host: str) -> bool:
    """True for `localhost`, a `.localhost` name (RFC 6761: always this machine) or a loopback
    address (127.0.0.0/8, ::1, an IPv4-mapped 127.x address); `host` has no port or brackets."""
    name = host.lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def is_loopback_host_header(value: str) -> bool:
    """True for a Host header that names a loopback host, with or without a port."""
    match = _HOST_HEADER.fullmatch(value)
    if match is None:
        return False
    return is_loopback_host(match["ipv6"] or match["name"])


def is_loopback_origin(value: str) -> bool:
    """True for an Origin header of a page served from this machine (`http://localhost:3000`);
    False for any other origin, `null` included."""
    match = _ORIGIN.fullmatch(value)
    return match is not None and is_loopback_host_header(match["host"])
