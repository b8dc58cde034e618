"""Request validation of the emulated API, with its exact 422 messages.

The provider pins its own validation to these messages, so they are part of the emulator's
contract: keep them stable. Every failing field is reported at once, one message per field, in
Laravel's shape: ``{"message": "The given data was invalid.", "errors": {field: [message]}}``.
``<field words>`` below is the field name with underscores replaced by spaces.

Messages:

- required field missing, ``null`` or ``""`` (create), or sent as ``null`` or ``""`` (update):
  ``The <field words> field is required.``; for sip_address: ``SIP server address is required.``
- a string field sent as another JSON type: ``The <field words> field must be a string.``
- sip_trunk_type not ``extension``/``number``: ``The selected sip trunk type is invalid.``
- phone_number of an ``extension`` trunk (or of a create whose type is invalid) longer than 15
  characters: ``The phone number must be between 1 and 15 characters.``
- phone_number of a ``number`` trunk not ``+`` and 1-15 digits (first 1-9) that libphonenumber
  calls possible: ``The phone number must be a valid E.164 number.``
  On update the rule follows the stored sip_trunk_type.
- nickname longer than 50 characters: ``The nickname must not exceed 50 characters.``
  (``null`` and ``""`` mean "no nickname").
- sip_username outside 3-128 characters: ``The sip username must be between 3 and 128 characters.``
- sip_password shorter than 3 characters: ``The sip password must be at least 3 characters.``
- sip_password longer than 10,000 characters:
  ``The sip password must not exceed 10000 characters.``
- sip_address not a bare host name or IP address (a scheme, port, path, user part or space):
  ``The SIP server address must be a host name without a port.``
- sip_calling_format not ``+e164``/``e164``/``national``:
  ``SIP calling format must be one of: +e164, e164, national.``
- inbound_authorization_type not ``auth``/``ip``:
  ``The selected inbound authorization type is invalid.``
- type ``ip`` without a non-empty allowed_inbound_ips list (key ``allowed_inbound_ips``):
  ``At least one allowed IP address is required when authorization type is "ip".``
- allowed_inbound_ips not a JSON array: ``The allowed inbound ips field must be an array.``
- allowed_inbound_ips with more than 100 entries (its entries are then not checked one by one):
  ``The allowed inbound ips must not have more than 100 items.``
- an entry that is not one IPv4/IPv6 address (key ``allowed_inbound_ips.<index>``):
  ``The allowed_inbound_ips.<index> field must be a valid IP address.``
- country_code not an ISO 3166-1 alpha-2 code (any case; stored upper case):
  ``The selected country code is invalid.``
- outbound_proxy not a JSON boolean (``null`` included):
  ``The outbound proxy field must be true or false.``
- a body that is not JSON (key ``body``): ``The request body must be valid JSON.``
- a JSON body that is not an object (key ``body``): ``The request body must be a JSON object.``
- a body that nests arrays and objects more than 32 levels deep (key ``body``):
  ``The request body must not nest arrays and objects more than 32 levels deep.``
- a body with a string that holds an unpaired UTF-16 surrogate, as a ``\\ud800`` escape or
  encoded in the bytes (key ``body``):
  ``The request body must not contain unpaired UTF-16 surrogates (\\ud800-\\udfff).``

A body larger than 1 MB never gets this far: see ``_bodies`` (413).

Rules beyond the messages: unknown fields are ignored; sip_trunk_type is ignored on update. With
type ``auth`` a sent allowed_inbound_ips is ignored (not even validated) and the stored list is
null. On update, ``inbound_authorization_type: "ip"`` in the body (a switch to ``ip``, or
restating it) needs a non-empty list in the same body; a list sent to an ``ip`` trunk replaces
the whole list; a switch to ``auth`` sets the list to null.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from ._formats import is_e164_number, is_ip_address, is_sip_server_address, normalize_country_code
from ._records import NewTrunk, TrunkChanges, TrunkRecord

ValidationErrors = dict[str, list[str]]

INVALID_DATA_MESSAGE = "The given data was invalid."
SIP_ADDRESS_REQUIRED = "SIP server address is required."
INVALID_TRUNK_TYPE = "The selected sip trunk type is invalid."
PHONE_NUMBER_LENGTH = "The phone number must be between 1 and 15 characters."
PHONE_NUMBER_E164 = "The phone number must be a valid E.164 number."
NICKNAME_TOO_LONG = "The nickname must not exceed 50 characters."
SIP_USERNAME_LENGTH = "The sip username must be between 3 and 128 characters."
SIP_PASSWORD_TOO_SHORT = "The sip password must be at least 3 characters."
SIP_ADDRESS_INVALID = "The SIP server address must be a host name without a port."
INVALID_CALLING_FORMAT = "SIP calling format must be one of: +e164, e164, national."
INVALID_AUTHORIZATION_TYPE = "The selected inbound authorization type is invalid."
ALLOWED_IPS_REQUIRED = (
    'At least one allowed IP address is required when authorization type is "ip".'
)
ALLOWED_IPS_NOT_ARRAY = "The allowed inbound ips field must be an array."
INVALID_COUNTRY_CODE = "The selected country code is invalid."
OUTBOUND_PROXY_NOT_BOOLEAN = "The outbound proxy field must be true or false."
BODY_NOT_JSON = "The request body must be valid JSON."
BODY_NOT_OBJECT = "The request body must be a JSON object."

TRUNK_TYPES = ("extension", "number")
CALLING_FORMATS = ("+e164", "e164", "national")
AUTHORIZATION_TYPES = ("auth", "ip")

MAX_EXTENSION_LENGTH = 15
MAX_NICKNAME_LENGTH = 50
SIP_USERNAME_LENGTHS = (3, 128)
MIN_SIP_PASSWORD_LENGTH = 3
# The API documents no maximum for these two: the emulator's are generous guesses at what a real
# server would refuse, far beyond any real trunk (docs/reliability.md, "Security").
MAX_SIP_PASSWORD_LENGTH = 10_000
MAX_ALLOWED_IPS = 100
MAX_JSON_DEPTH = 32

SIP_PASSWORD_TOO_LONG = f"The sip password must not exceed {MAX_SIP_PASSWORD_LENGTH} characters."
TOO_MANY_ALLOWED_IPS = f"The allowed inbound ips must not have more than {MAX_ALLOWED_IPS} items."
BODY_TOO_DEEP = (
    f"The request body must not nest arrays and objects more than {MAX_JSON_DEPTH} levels deep."
)
BODY_NOT_UNICODE = "The request body must not contain unpaired UTF-16 surrogates (\\ud800-\\udfff)."


def required_message(field: str) -> str:
    if field == "sip_address":
        return SIP_ADDRESS_REQUIRED
    return f"The {_words(field)} field is required."


def not_a_string_message(field: str) -> str:
    return f"The {_words(field)} field must be a string."


def invalid_ip_message(key: str) -> str:
    return f"The {key} field must be a valid IP address."


class ValidationFailed(Exception):
    """A request failed validation; `errors` maps each failing field to its messages."""

    def __init__(self, errors: ValidationErrors) -> None:
        super().__init__(INVALID_DATA_MESSAGE)
        self.errors = errors


def validate_create(body: Mapping[str, object]) -> NewTrunk:
    """The trunk a create request describes, or ValidationFailed with every failing field."""
    reader = _FieldReader(body)
    trunk_type = reader.trunk_type()
    phone_number = reader.phone_number(trunk_type)
    nickname = reader.nickname()
    sip_username = reader.sip_username()
    sip_password = reader.sip_password()
    sip_address = reader.sip_address()
    calling_format = reader.calling_format()
    authorization_type = reader.authorization_type()
    allowed_ips: tuple[str, ...] | None = None
    if authorization_type == "ip":
        allowed_ips = reader.ip_list(required=True)
    elif authorization_type is None and reader.sent("allowed_inbound_ips"):
        reader.ip_list(required=False)
    country_code = reader.country_code()
    outbound_proxy = reader.outbound_proxy() if reader.sent("outbound_proxy") else False
    if (
        reader.errors
        or trunk_type is None
        or phone_number is None
        or sip_username is None
        or sip_password is None
        or sip_address is None
        or calling_format is None
        or authorization_type is None
        or country_code is None
        or outbound_proxy is None
    ):
        raise ValidationFailed(reader.errors)
    return NewTrunk(
        sip_trunk_type=trunk_type,
        phone_number=phone_number,
        nickname=nickname,
        sip_username=sip_username,
        sip_password=sip_password,
        sip_address=sip_address,
        sip_calling_format=calling_format,
        inbound_authorization_type=authorization_type,
        allowed_inbound_ips=allowed_ips,
        outbound_proxy=outbound_proxy,
        country_code=country_code,
    )


def validate_update(body: Mapping[str, object], stored: TrunkRecord) -> TrunkChanges:
    """The validated fields of a partial update of `stored`, or ValidationFailed.

    A switch to ``auth`` adds ``allowed_inbound_ips: None`` to the changes.
    """
    reader = _FieldReader(body)
    changes: TrunkChanges = {}
    sent = reader.sent
    if sent("phone_number") and (phone := reader.phone_number(stored.sip_trunk_type)) is not None:
        changes["phone_number"] = phone
    if sent("nickname"):
        changes["nickname"] = reader.nickname()
    if sent("sip_username") and (username := reader.sip_username()) is not None:
        changes["sip_username"] = username
    if sent("sip_password") and (password := reader.sip_password()) is not None:
        changes["sip_password"] = password
    if sent("sip_address") and (address := reader.sip_address()) is not None:
        changes["sip_address"] = address
    if sent("sip_calling_format") and (calling_format := reader.calling_format()) is not None:
        changes["sip_calling_format"] = calling_format
    _read_authorization_change(reader, stored, changes)
    if sent("country_code") and (country_code := reader.country_code()) is not None:
        changes["country_code"] = country_code
    if sent("outbound_proxy") and (outbound_proxy := reader.outbound_proxy()) is not None:
        changes["outbound_proxy"] = outbound_proxy
    if reader.errors:
        raise ValidationFailed(reader.errors)
    return changes


def _read_authorization_change(
    reader: _FieldReader, stored: TrunkRecord, changes: TrunkChanges
) -> None:
    stored_type = stored.inbound_authorization_type
    new_type: str | None = stored_type
    if reader.sent("inbound_authorization_type"):
        new_type = reader.authorization_type()
        if new_type is not None:
            changes["inbound_authorization_type"] = new_type
    if new_type == "ip":
        # Sending type "ip" (a switch, or restating it) needs the list, like Laravel's
        # required_if; with the type left out, a sent list replaces the stored one.
        list_needed = reader.sent("inbound_authorization_type") or reader.sent(
            "allowed_inbound_ips"
        )
        if list_needed and (allowed_ips := reader.ip_list(required=True)) is not None:
            changes["allowed_inbound_ips"] = allowed_ips
    elif new_type == "auth":
        if stored_type != "auth":
            changes["allowed_inbound_ips"] = None
    elif reader.sent("allowed_inbound_ips"):
        reader.ip_list(required=False)


class _FieldReader:
    """Reads typed fields out of a JSON object body, collecting the errors of every field.

    A reader method returns None for a field that failed (after recording why); callers use the
    values only when no error was recorded at all.
    """

    def __init__(self, body: Mapping[str, object]) -> None:
        self._body = body
        self.errors: ValidationErrors = {}

    def sent(self, field: str) -> bool:
        return field in self._body

    def fail(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def text(self, field: str) -> str | None:
        value = self._body.get(field)
        if value is None or value == "":
            self.fail(field, required_message(field))
            return None
        if not isinstance(value, str):
            self.fail(field, not_a_string_message(field))
            return None
        return value

    def checked_text(self, field: str, is_valid: Callable[[str], bool], message: str) -> str | None:
        value = self.text(field)
        if value is not None and not is_valid(value):
            self.fail(field, message)
            return None
        return value

    def choice(self, field: str, options: Sequence[str], message: str) -> str | None:
        return self.checked_text(field, lambda value: value in options, message)

    def trunk_type(self) -> str | None:
        return self.choice("sip_trunk_type", TRUNK_TYPES, INVALID_TRUNK_TYPE)

    def sip_username(self) -> str | None:
        return self.checked_text("sip_username", _is_valid_username, SIP_USERNAME_LENGTH)

    def sip_password(self) -> str | None:
        value = self.checked_text("sip_password", _is_long_enough_password, SIP_PASSWORD_TOO_SHORT)
        if value is not None and len(value) > MAX_SIP_PASSWORD_LENGTH:
            self.fail("sip_password", SIP_PASSWORD_TOO_LONG)
            return None
        return value

    def sip_address(self) -> str | None:
        return self.checked_text("sip_address", is_sip_server_address, SIP_ADDRESS_INVALID)

    def calling_format(self) -> str | None:
        return self.choice("sip_calling_format", CALLING_FORMATS, INVALID_CALLING_FORMAT)

    def authorization_type(self) -> str | None:
        return self.choice(
            "inbound_authorization_type", AUTHORIZATION_TYPES, INVALID_AUTHORIZATION_TYPE
        )

    def phone_number(self, trunk_type: str | None) -> str | None:
        if trunk_type == "number":
            return self.checked_text("phone_number", is_e164_number, PHONE_NUMBER_E164)
        return self.checked_text("phone_number", _is_valid_extension, PHONE_NUMBER_LENGTH)

    def nickname(self) -> str | None:
        value = self._body.get("nickname")
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.fail("nickname", not_a_string_message("nickname"))
            return None
        if len(value) > MAX_NICKNAME_LENGTH:
            self.fail("nickname", NICKNAME_TOO_LONG)
            return None
        return value

    def country_code(self) -> str | None:
        value = self.text("country_code")
        if value is None:
            return None
        code = normalize_country_code(value)
        if code is None:
            self.fail("country_code", INVALID_COUNTRY_CODE)
        return code

    def outbound_proxy(self) -> bool | None:
        value = self._body.get("outbound_proxy")
        if isinstance(value, bool):
            return value
        self.fail("outbound_proxy", OUTBOUND_PROXY_NOT_BOOLEAN)
        return None

    def ip_list(self, *, required: bool) -> tuple[str, ...] | None:
        field = "allowed_inbound_ips"
        value = self._body.get(field)
        if value is None or value == "" or value == []:
            if required:
                self.fail(field, ALLOWED_IPS_REQUIRED)
            return None
        if not isinstance(value, list):
            self.fail(field, ALLOWED_IPS_NOT_ARRAY)
            return None
        if len(value) > MAX_ALLOWED_IPS:
            # One message, not one per entry: a list this long could make a reply of megabytes.
            self.fail(field, TOO_MANY_ALLOWED_IPS)
            return None
        addresses: list[str] = []
        for index, entry in enumerate(value):
            if isinstance(entry, str) and is_ip_address(entry):
                addresses.append(entry)
            else:
                key = f"{field}.{index}"
                self.fail(key, invalid_ip_message(key))
        return tuple(addresses) if len(addresses) == len(value) else None


def _words(field: str) -> str:
    return field.replace("_", " ")


def _is_valid_extension(value: str) -> bool:
    return 1 <= len(value) <= MAX_EXTENSION_LENGTH


def _is_valid_username(value: str) -> bool:
    low, high = SIP_USERNAME_LENGTHS
    return low <= len(value) <= high


def _is_long_enough_password(value: str) -> bool:
    return len(value) >= MIN_SIP_PASSWORD_LENGTH
