"""Where the client may send the API key, and how it checks the server it sends it to.

The key travels as a bearer token on every request, so it must never cross a network in clear
text: plain ``http://`` is accepted only for loopback hosts (a local emulator), and TLS
certificates are always verified, against the default trust store or a given CA bundle.
"""

from __future__ import annotations

import ipaddress
import ssl
import urllib.parse
from typing import TYPE_CHECKING

from .._exceptions import ConfigurationError

if TYPE_CHECKING:
    import httpx

_LOOPBACK_NAMES = frozenset({"localhost"})
_DEFAULT_PORTS = {"https": 443, "http": 80}


def checked_base_url(base_url: str, setting: str) -> httpx.URL:
    """``base_url`` parsed, if the client may send the API key there; else ConfigurationError.

    Refused: a URL that does not parse or has no host, a user name or password in the URL, any
    scheme but ``https`` and ``http``, and ``http`` to a host that is not loopback (127.0.0.0/8,
    ::1, ``localhost``). Nothing is resolved or sent. Messages name ``setting``, where the URL
    was set (``autocalls:baseUrl``, ``AUTOCALLS_BASE_URL``, ...).
    """
    import httpx  # here: base_url_problem, which a preview runs, must not load the HTTP stack

    try:
        url = httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError):
        raise ConfigurationError(_not_a_url(setting)) from None
    problem = _refusal(base_url, url.scheme.lower(), url.host, bool(url.userinfo), setting)
    if problem is not None:
        raise ConfigurationError(problem)
    return url


def base_url_problem(base_url: str, setting: str) -> str | None:
    """Why the client would refuse ``base_url`` (the sentence of ``checked_base_url``'s error), or
    None. Standard library only, so that a preview can say it without loading the HTTP client;
    the client itself decides on httpx's reading of the URL, with the same rules."""
    try:
        parts = urllib.parse.urlsplit(base_url)
        host = parts.hostname or ""
        has_userinfo = parts.username is not None or parts.password is not None
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return _not_a_url(setting)
    return _refusal(base_url, parts.scheme.lower(), host, has_userinfo, setting)


def _not_a_url(setting: str) -> str:
    return f"The autocalls base URL ({setting}) is not a valid URL."


def _refusal(text: str, scheme: str, host: str, has_userinfo: bool, setting: str) -> str | None:
    if "://" not in text:
        return (
            f"The autocalls base URL ({setting}) has no scheme: it needs https:// in front "
            "(http:// only for a loopback address, such as the emulator's)."
        )
    if scheme not in ("https", "http"):
        return f"Unsupported scheme '{scheme}' in the autocalls base URL ({setting}); use https://."
    if not host:
        return f"The autocalls base URL ({setting}) has no host."
    if has_userinfo:
        return f"The autocalls base URL ({setting}) must not contain a user name or password."
    if scheme == "http" and not is_loopback_host(host):
        return (
            f"Refusing to send the autocalls API key over plain http to {host} ({setting}); use "
            "https:// (plain http is allowed only for loopback addresses)."
        )
    return None


def same_base_url(first: str, second: str) -> bool:
    """Whether two base URLs name the same API: scheme and host compared without case, the
    scheme's default port written or not, a trailing slash or not."""
    return _api_address(first) == _api_address(second)


def _api_address(base_url: str) -> tuple[str, str, int | None, str]:
    parts = urllib.parse.urlsplit(base_url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return (
        scheme,
        parts.hostname or "",
        port or _DEFAULT_PORTS.get(scheme),
        parts.path.rstrip("/"),
    )


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
