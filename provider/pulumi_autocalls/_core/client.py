"""``AutocallsClient``: the typed HTTP client of the autocalls SIP trunk API, over ``httpx.Client``.

One client serves several threads at once: it holds no mutable state of its own, and
``httpx.Client`` (its keep-alive connection pool) is thread-safe for requests.

Every request carries ``Authorization: Bearer <key>``, ``Accept: application/json`` and
``User-Agent: pulumi-autocalls/<version>``; a request with a body also carries
``Content-Type: application/json``. Idempotent requests are retried by ``retry.retrying``; a POST
is sent exactly once. Failures raise the errors of ``_exceptions``, which hold no secret.

Logging, on the ``pulumi_autocalls`` logger: DEBUG for every request (method, path, status,
elapsed time), INFO for every retry (operation, attempt, reason, wait). Never headers or bodies.
"""

from __future__ import annotations

import json
import logging
import math
import re
import ssl
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, NoReturn, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from .._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AutocallsError,
    ConfigurationError,
    UnexpectedResponseError,
    status_error,
    with_hint,
)
from .._version import __version__
from .config import SettingNames
from .constants import DEFAULT_BASE_URL, DEFAULT_TIMEOUT_S, IDEMPOTENT_METHODS
from .fields import FIELDS_BY_NAME
from .http_logs import scrubbing
from .models import AccountInfo, SipTrunkRecord, SipTrunkSummary
from .redact import Scrubber
from .retry import RetryPolicy, retrying, server_requested_wait
from .transport_security import checked_base_url, origin, tls_verification

__all__ = [
    "AutocallsClient",
    "ObservedResponse",
    "TrunkId",
]

UNSENDABLE_API_KEY_MESSAGE = (
    "The autocalls API key contains characters that cannot be sent in an HTTP header "
    "(only printable ASCII without spaces is allowed)."
)

TrunkId = int | str
"""A SIP trunk id: an int, or a string of digits such as a Pulumi resource id (``"42"``)."""

logger = logging.getLogger("pulumi_autocalls")

_SIP_TRUNKS_PATH = "/user/phone-numbers/sip-trunks"
_PHONE_NUMBERS_PATH = "/user/phone-numbers"
_ME_PATH = "/user/me"

_DIGITS = re.compile(r"[0-9]+")
_HEADER_TOKEN = re.compile(r"[\x21-\x7e]+")
_HEADER_TEXT = re.compile(r"[\x20-\x7e]+")
_ERRNO_PREFIX = re.compile(r"^\[Errno -?\d+\]\s*")
_SSL_SOURCE_SUFFIX = re.compile(r"\s*\(_ssl\.c:\d+\)")
_MAX_TRANSPORT_REASON_LENGTH = 200
_CLOSED_CONNECTION_WORDINGS = ("peer closed connection", "server disconnected")
CLOSED_CONNECTION_REASON = "connection closed before a complete response"
_MAX_SHOWN_VALIDATION_ERRORS = 3

_SUMMARY_LIST = TypeAdapter(list[SipTrunkSummary])
_Record = TypeVar("_Record", bound=BaseModel)
_Result = TypeVar("_Result")


class _NotJson:
    def __repr__(self) -> str:
        return "<not JSON>"


_NOT_JSON: Any = _NotJson()


@dataclass(frozen=True)
class _Call:
    """One API operation: what to send, and how errors name it."""

    method: str
    path: str
    operation: str
    trunk_id: str | None = None
    # Out of the repr: it may hold a sip_password, and a traceback renderer may show locals.
    body: Mapping[str, Any] | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ObservedResponse:
    """One HTTP answer as the API sent it, before the client judged it, with secrets scrubbed.

    What an ``observer`` of the client receives. The provider needs none of it; ``pulumi-autocalls
    doctor`` compares it with the documented answers (status, envelope, fields).
    """

    method: str
    path: str
    """The path below the base URL, e.g. ``/user/phone-numbers/sip-trunks/42``."""
    status_code: int
    body: Any
    """The parsed JSON body, secrets redacted as in errors; None when the body is not JSON."""
    allow: str | None
    """The ``Allow`` header (the methods a route accepts, sent with a 405), if any."""


@dataclass(frozen=True)
class _Answer:
    """A success response reduced to what the endpoints read: no httpx object survives."""

    status_code: int
    payload: Any
    attempts: int


class _BearerToken(httpx.Auth):
    """Adds ``Authorization: Bearer <key>`` to each request; its repr does not show the key."""

    def __init__(self, api_key: str) -> None:
        self._header_value = f"Bearer {api_key}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header_value
        yield request

    def __repr__(self) -> str:
        return "_BearerToken(<redacted>)"


class AutocallsClient:
    """Client of the autocalls SIP trunk API.

    Args:
        api_key: the API key, sent as a bearer token. Blank or missing raises ConfigurationError.
        base_url: the API root; white-label hosts and the local emulator use their own. Plain
            ``http://`` is allowed only for loopback hosts; anything else but ``https://`` is
            refused with ConfigurationError before any request.
        timeout: seconds allowed for each phase of a request (connect, send, wait, read).
        retry: the retry policy of idempotent requests; ``RetryPolicy()`` if None.
        transport: an httpx transport to send through instead of the network (it then owns TLS).
        ca_bundle: a PEM file of the CAs to trust instead of the default store (private CAs).
            TLS verification cannot be turned off.
        user_agent_extra: appended to ``User-Agent: pulumi-autocalls/<version>`` after a space.
        observer: called with every HTTP answer (an ``ObservedResponse``), retries included,
            before the client judges it.
        setting_names: what messages call the key and the base URL (where they were set); the
            provider's stack config keys if None.

    Ids are accepted as an int or a string of digits; anything else raises ValueError.
    """

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = DEFAULT_TIMEOUT_S,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        ca_bundle: str | None = None,
        user_agent_extra: str | None = None,
        observer: Callable[[ObservedResponse], None] | None = None,
        setting_names: SettingNames | None = None,
    ) -> None:
        self._names = setting_names if setting_names is not None else SettingNames()
        key = _checked_api_key(api_key, self._names)
        url = checked_base_url(base_url, self._names.base_url)
        self._timeout = _checked_timeout(timeout)
        self._retry = retry if retry is not None else RetryPolicy()
        self._base_url = str(url).rstrip("/")
        self._origin = origin(url)
        self._api_key = key
        self._observer = observer
        self._http = _http_client(
            base_url=self._base_url,
            auth=_BearerToken(key),
            headers={"Accept": "application/json", "User-Agent": _user_agent(user_agent_extra)},
            timeout=httpx.Timeout(self._timeout),
            verify=tls_verification(ca_bundle),
            transport=transport,
            follow_redirects=False,
            # A loopback target is never reached through a proxy; for https, proxies from the
            # environment only ever see an encrypted tunnel.
            trust_env=url.scheme == "https",
        )

    # -- lifecycle --------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def setting_names(self) -> SettingNames:
        """What messages call the key and the base URL: where they were set."""
        return self._names

    @property
    def timeout(self) -> float:
        return self._timeout

    @property
    def retry(self) -> RetryPolicy:
        return self._retry

    def close(self) -> None:
        """Close the pooled connections. Idempotent."""
        self._http.close()

    def __enter__(self) -> AutocallsClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"AutocallsClient(base_url={self._base_url!r})"

    def __reduce__(self) -> NoReturn:
        # A pickled client would carry the API key into wherever the pickle goes (Pulumi state).
        raise TypeError(
            "AutocallsClient cannot be pickled: it holds the API key and open connections; "
            "build the client where it is used."
        )

    # -- endpoints --------------------------------------------------------------------------------

    def me(self) -> AccountInfo:
        """``GET /user/me``: the account behind the key; the cheap way to check the key."""
        call = _Call("GET", _ME_PATH, "check API key")
        answer = self._request(call)
        payload = answer.payload
        if isinstance(payload, Mapping) and isinstance(payload.get("data"), Mapping):
            payload = payload["data"]
        return _record(AccountInfo, payload, call, answer, location=())

    def list_sip_trunks(self) -> list[SipTrunkSummary]:
        """``GET /user/phone-numbers/sip-trunks``: every SIP trunk of the account (no paging)."""
        call = _Call("GET", _SIP_TRUNKS_PATH, "list SIP trunks")
        answer = self._request(call)
        items = _envelope_data(call, answer, list, "'data' list")
        try:
            return _SUMMARY_LIST.validate_python(items)
        except ValidationError as error:
            problem = _validation_problem(error, ("data",))
        # Raised outside the except block: the ValidationError, whose text holds the payload,
        # must not ride along as __context__.
        raise _unexpected(call, answer, problem)

    def find_sip_trunks(
        self,
        *,
        phone_number: str | None = None,
        sip_username: str | None = None,
        sip_address: str | None = None,
        nickname: str | None = None,
    ) -> list[SipTrunkSummary]:
        """The listed SIP trunks that match every given criterion (None: any value).

        Values compare exactly, except ``sip_address``, which compares case-insensitively as host
        names do. One list request; the filtering happens here, since the API has no filters.
        """
        criteria = {
            "phone_number": phone_number,
            "sip_username": sip_username,
            "sip_address": sip_address,
            "nickname": nickname,
        }
        wanted = {name: value for name, value in criteria.items() if value is not None}
        return [
            trunk
            for trunk in self.list_sip_trunks()
            if all(
                FIELDS_BY_NAME[name].same(getattr(trunk, name), value)
                for name, value in wanted.items()
            )
        ]

    def get_sip_trunk(self, trunk_id: TrunkId) -> SipTrunkRecord:
        """``GET /user/phone-numbers/sip-trunks/{id}``: one trunk, with its voice trunk ids."""
        tid = _checked_trunk_id(trunk_id)
        call = _Call("GET", f"{_SIP_TRUNKS_PATH}/{tid}", f"get SIP trunk {tid}", tid)
        return self._trunk_record(call)

    def create_sip_trunk(self, fields: Mapping[str, Any]) -> SipTrunkRecord:
        """``POST /user/phone-numbers/sip-trunks`` with ``fields`` as the body; the created trunk.

        Sent exactly once, never retried: after a lost answer the trunk may exist, and only the
        caller can look it up (by phone_number, sip_username and sip_address) before trying again.
        """
        call = _Call("POST", _SIP_TRUNKS_PATH, "create SIP trunk", body=dict(fields))
        return self._trunk_record(call)

    def update_sip_trunk(self, trunk_id: TrunkId, fields: Mapping[str, Any]) -> SipTrunkRecord:
        """``PUT /user/phone-numbers/sip-trunks/{id}`` with exactly ``fields``; the updated trunk.

        The API updates only the fields sent, so send only what changes: a changed credential,
        address, proxy or inbound setting re-creates voice trunks (new trunk ids).
        """
        tid = _checked_trunk_id(trunk_id)
        call = _Call(
            "PUT", f"{_SIP_TRUNKS_PATH}/{tid}", f"update SIP trunk {tid}", tid, dict(fields)
        )
        return self._trunk_record(call)

    def delete_sip_trunk(self, trunk_id: TrunkId) -> None:
        """``DELETE /user/phone-numbers/{id}``: delete the trunk (the shared phone-number route).

        It does not check first that the id is a SIP trunk (a wrong id on this route releases
        a phone number); callers confirm with ``get_sip_trunk``. A retried DELETE whose first
        attempt succeeded unseen ends in NotFoundError, which callers treat as "already gone".
        """
        tid = _checked_trunk_id(trunk_id)
        self._request(
            _Call("DELETE", f"{_PHONE_NUMBERS_PATH}/{tid}", f"delete SIP trunk {tid}", tid)
        )

    # -- plumbing ---------------------------------------------------------------------------------

    def _trunk_record(self, call: _Call) -> SipTrunkRecord:
        answer = self._request(call)
        data = _envelope_data(call, answer, Mapping, "'data' object")
        return _record(SipTrunkRecord, data, call, answer, location=("data",))

    def _request(self, call: _Call) -> _Answer:
        """Send ``call`` (an idempotent one retried per the policy); the success answer."""
        scrubber = Scrubber.for_request(self._api_key, call.body)

        def attempt(number: int) -> _Answer:
            outcome = self._send_once(call, scrubber, number)
            if isinstance(outcome, AutocallsError):
                # Raised outside any except block, so no httpx exception (which holds the
                # request and its Authorization header) is chained to it.
                raise outcome
            return outcome

        if call.method not in IDEMPOTENT_METHODS:
            return attempt(1)
        return self.retrying(attempt, repeatable=lambda _error: True)

    def retrying(
        self, attempt: Callable[[int], _Result], *, repeatable: Callable[[AutocallsError], bool]
    ) -> _Result:
        """``retry.retrying`` with this client's policy; when the API could not be reached at
        all, the error then says how often and for how long, and which setting to check."""
        started = time.monotonic()
        tries = 0

        def counted(number: int) -> _Result:
            nonlocal tries
            tries = number
            return attempt(number)

        try:
            return retrying(self._retry, counted, repeatable=repeatable)
        except APIConnectionError as error:
            if not error.request_sent:
                with_hint(error, self._unreachable_hint(tries, time.monotonic() - started))
            raise

    def _unreachable_hint(self, tries: int, elapsed: float) -> str:
        check = f"check the base URL ({self._names.base_url}) and that {self._origin} is reachable"
        if tries <= 1:
            return f"Not retried; {check}."
        retries = tries - 1
        return f"Retried {retries} time{'s' if retries > 1 else ''} over {elapsed:.1f} s; {check}."

    def _advised(self, error: APIStatusError) -> APIStatusError:
        """``error`` with the setting to check: the key after a 401; the base URL after a 404 from
        a base URL that does not end in /api (the API's routes are all under /api)."""
        if error.status_code == 401:
            return with_hint(error, f"Check the API key ({self._names.api_key}).")
        if error.status_code == 404 and not self._base_url.endswith("/api"):
            return with_hint(
                error,
                f"Check the base URL ({self._names.base_url} is {self._base_url}): "
                "it usually ends in /api.",
            )
        return error

    def _send_once(self, call: _Call, scrubber: Scrubber, attempt: int) -> _Answer | AutocallsError:
        """One request; every httpx object stays in this frame and is gone when it returns."""
        started = time.monotonic()
        try:
            with scrubbing(scrubber):
                if call.body is None:
                    response = self._http.request(call.method, call.path)
                else:
                    response = self._http.request(call.method, call.path, json=call.body)
        except httpx.TimeoutException as error:
            _log_request(call, "timeout", started)
            return APITimeoutError(
                operation=call.operation,
                trunk_id=call.trunk_id,
                origin=self._origin,
                timeout=self._timeout,
                attempts=attempt,
                request_sent=not isinstance(error, httpx.ConnectTimeout),
            )
        except httpx.RequestError as error:
            _log_request(call, type(error).__name__, started)
            return APIConnectionError(
                operation=call.operation,
                trunk_id=call.trunk_id,
                origin=self._origin,
                reason=_transport_reason(error, scrubber),
                attempts=attempt,
                # A new connection that failed (refused, DNS, TLS) never carried the request.
                request_sent=not isinstance(error, httpx.ConnectError),
            )
        _log_request(call, str(response.status_code), started)
        payload = _parse_json(response.content)
        if self._observer is not None:
            status, allow = response.status_code, response.headers.get("allow")
            self._observer(
                ObservedResponse(call.method, call.path, status, _kept(payload, scrubber), allow)
            )
        if response.is_success:
            return _Answer(response.status_code, payload, attempt)
        body = _kept(payload, scrubber)
        request_id = response.headers.get("x-request-id")
        refusal = status_error(
            operation=call.operation,
            trunk_id=call.trunk_id,
            status_code=response.status_code,
            body=body,
            request_id=scrubber.text(request_id) if request_id is not None else None,
            retry_after=server_requested_wait(response.headers.get("retry-after"), body),
            attempts=attempt,
        )
        return self._advised(refusal)


# -- validation of arguments ----------------------------------------------------------------------


def _http_client(**options: Any) -> httpx.Client:
    """httpx's client, with the environment's mistakes that its constructor raises as plain
    exceptions (a SOCKS proxy without socksio, an unreadable SSL_CERT_FILE) said as settings."""
    try:
        return httpx.Client(**options)
    except ImportError as error:
        if "socks" not in str(error).lower():
            raise
        raise ConfigurationError(
            "A proxy set in the environment (HTTPS_PROXY or ALL_PROXY) is a SOCKS proxy, which "
            "needs the socksio package: pip install 'httpx[socks]', or unset the variable."
        ) from None
    except ssl.SSLError as error:
        raise ConfigurationError(
            f"The certificates named by SSL_CERT_FILE or SSL_CERT_DIR cannot be used "
            f"({error.reason or error}): point the variable at a PEM file of CA certificates, or "
            "unset it."
        ) from None


def _checked_api_key(api_key: object, names: SettingNames) -> str:
    key = api_key.strip() if isinstance(api_key, str) else ""
    if not key:
        raise ConfigurationError(names.missing_api_key)
    if not _HEADER_TOKEN.fullmatch(key):
        raise ConfigurationError(UNSENDABLE_API_KEY_MESSAGE)
    return key


def _checked_timeout(timeout: object) -> float:
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, int | float)
        or not math.isfinite(timeout)
        or timeout <= 0
    ):
        raise ConfigurationError(
            f"The autocalls client timeout must be a positive number of seconds, got {timeout!r}."
        )
    return float(timeout)


def _user_agent(extra: str | None) -> str:
    agent = f"pulumi-autocalls/{__version__}"
    if extra is None or not extra.strip():
        return agent
    if not _HEADER_TEXT.fullmatch(extra):
        raise ConfigurationError(f"The User-Agent suffix must be printable ASCII, got {extra!r}.")
    return f"{agent} {extra.strip()}"


def _checked_trunk_id(trunk_id: object) -> str:
    """The id as the canonical string of a positive integer (``"042"`` -> ``"42"``)."""
    number: int | None = None
    if isinstance(trunk_id, int) and not isinstance(trunk_id, bool):
        number = trunk_id
    elif isinstance(trunk_id, str) and _DIGITS.fullmatch(trunk_id.strip()):
        number = int(trunk_id.strip())
    if number is None or number < 1:
        raise ValueError(
            f"A SIP trunk id must be a positive integer or a string of digits, got {trunk_id!r}."
        )
    return str(number)


# -- reading responses ----------------------------------------------------------------------------


def _parse_json(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:  # also UnicodeDecodeError, and an empty body
        return _NOT_JSON


def _kept(payload: Any, scrubber: Scrubber) -> Any:
    """A parsed body as an error or an observer may keep it: secrets redacted, None if not JSON."""
    return None if payload is _NOT_JSON else scrubber.json(payload)


def _envelope_data(call: _Call, answer: _Answer, kind: type, description: str) -> Any:
    payload = answer.payload
    if payload is _NOT_JSON:
        raise _unexpected(call, answer, "not JSON")
    data = payload.get("data") if isinstance(payload, Mapping) else None
    if not isinstance(data, kind):
        raise _unexpected(call, answer, f"no {description}")
    return data


def _record(
    model: type[_Record], value: Any, call: _Call, answer: _Answer, *, location: Sequence[str]
) -> _Record:
    if value is _NOT_JSON:
        raise _unexpected(call, answer, "not JSON")
    try:
        return model.model_validate(value)
    except ValidationError as error:
        problem = _validation_problem(error, location)
    raise _unexpected(call, answer, problem)  # outside the except: see list_sip_trunks


def _unexpected(call: _Call, answer: _Answer, problem: str) -> UnexpectedResponseError:
    return UnexpectedResponseError(
        operation=call.operation,
        trunk_id=call.trunk_id,
        status_code=answer.status_code,
        problem=problem,
        attempts=answer.attempts,
    )


def _validation_problem(error: ValidationError, location: Sequence[str]) -> str:
    """The first few validation failures as ``where: what``, naming fields and never values."""
    details = error.errors(include_url=False, include_input=False, include_context=False)
    shown = []
    for detail in details[:_MAX_SHOWN_VALIDATION_ERRORS]:
        path = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}"
            for part in (*location, *detail["loc"])
        ).lstrip(".")
        shown.append(f"{path or 'body'}: {detail['msg']}")
    problem = "; ".join(shown)
    hidden = len(details) - len(shown)
    return f"{problem}; and {hidden} more" if hidden else problem


# -- describing failures --------------------------------------------------------------------------


def _transport_reason(error: httpx.RequestError, scrubber: Scrubber) -> str:
    """httpx's own explanation, shortened to one line without errno or OpenSSL source noise.

    A connection that the server closed mid-exchange reads ``connection closed before a complete
    response``, whichever of h11's wordings (which include byte counts) httpx passed on.
    """
    lines = str(error).strip().splitlines()
    text = lines[0] if lines else ""
    if isinstance(error, httpx.RemoteProtocolError) and text.lower().startswith(
        _CLOSED_CONNECTION_WORDINGS
    ):
        return CLOSED_CONNECTION_REASON
    text = _SSL_SOURCE_SUFFIX.sub("", _ERRNO_PREFIX.sub("", text)).strip().rstrip(".")
    text = scrubber.text(text)
    if len(text) > _MAX_TRANSPORT_REASON_LENGTH:
        text = text[: _MAX_TRANSPORT_REASON_LENGTH - 1].rstrip() + "…"
    return text or type(error).__name__


def _log_request(call: _Call, outcome: str, started: float) -> None:
    elapsed_ms = (time.monotonic() - started) * 1000
    logger.debug("%s %s -> %s (%.0f ms)", call.method, call.path, outcome, elapsed_ms)
