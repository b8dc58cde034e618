"""Where the client may send the API key, and how it checks the server it sends it to.

The key travels as a bearer token on every request, so it must never cross a network in clear
text: plain ``http://`` is accepted only for loopback hosts (a local emulator), and TLS
certificates are always verified, against the default trust store or a given CA bundle.
"""

from __future__ import annotations

import ipaddress
import ssl

import httpx

from .._exceptions import ConfigurationError

_LOOPBACK_NAMES = frozenset({"localhost"})


def checked_base_url(base_url: str) -> httpx.URL:
    """``base_url`` parsed, if the client may send the API key there; else ConfigurationError.

    Refused: a URL that does not parse or has no host, a user name or password in the URL, any
    scheme but ``https`` and ``http``, and ``http`` to a host that is not loopback (127.0.0.0/8,
    ::1, ``localhost``). Nothing is resolved or sent.
    """
    try:
        url = httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError):
        raise ConfigurationError("The autocalls base URL is not a valid URL.") from None
    scheme = url.scheme.lower()
    if scheme not in ("https", "http"):
        shown = scheme or "(none)"
        raise ConfigurationError(
            f"Unsupported scheme '{shown}' in the autocalls base URL; use https://."
        )
    if not url.host:
        raise ConfigurationError("The autocalls base URL has no host.")
    if url.userinfo:
        raise ConfigurationError("The autocalls base URL must not contain a user name or password.")
    if scheme == "http" and not is_loopback_host(url.host):
        raise ConfigurationError(
            f"Refusing to send the autocalls API key over plain http to {url.host}; use https:// "
            "(plain http is allowed only for loopback addresses)."
        )
    return url


def is_loopback_host(host: str) -> bool:
    """True for ``localhost``, an address in 127.0.0.0/8, or ``::1`` (also IPv4-mapped)."""
    name = host.strip("[]").rstrip(".").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def origin(url: httpx.URL) -> str:
    """``scheme://host[:port]`` of a URL, the port only when it is not the scheme's default."""
    host = f"[{url.host}]" if ":" in url.host else url.host
    port = f":{url.port}" if url.port is not None else ""
    return f"{url.scheme}://{host}{port}"


def tls_verification(ca_bundle: str | None) -> ssl.SSLContext | bool:
    """What httpx's ``verify`` gets: always verification, against ``ca_bundle`` if one is given."""
    if ca_bundle is None:
        return True
    try:
        return ssl.create_default_context(cafile=ca_bundle)
    except (OSError, ssl.SSLError) as error:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise ConfigurationError(f"The CA bundle {ca_bundle} cannot be used: {reason}.") from None
