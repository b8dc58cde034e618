"""The emulated autocalls API under /api: user check and SIP trunk routes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.convertors import StringConvertor, register_url_convertor

from ._json_body import UnreadableJson, read_json
from ._records import detail_json, summary_json
from ._schemas import (
    CREATE_REQUEST,
    DUPLICATE_TRUNK,
    INVALID_DATA,
    PHONE_NUMBER_NOT_FOUND,
    PROVISIONING_FAILED,
    SERVER_ERROR,
    THROTTLED,
    TRUNK_NOT_FOUND,
    UNAUTHENTICATED,
    UPDATE_REQUEST,
    MessageBody,
    TrunkBody,
    TrunkListBody,
    TrunkWrittenBody,
    UserBody,
    id_parameter,
)
from ._settings import RuntimeSettings
from ._store import DuplicateTrunk
from ._trunks import TrunkNotFound, TrunkService
from ._validation import (
    BODY_NOT_OBJECT,
    INVALID_DATA_MESSAGE,
    ValidationErrors,
    ValidationFailed,
)

EMULATED_USER = {"name": "Emulator User", "email": "emulator@example.com", "total_balance": 125.5}
TRUNK_CREATED = "SIP trunk created successfully."
TRUNK_UPDATED = "SIP trunk updated successfully."
PHONE_NUMBER_DELETED = "Phone number deleted successfully."
UNAUTHENTICATED_MESSAGE = "Unauthenticated."
TRUNK_NOT_FOUND_MESSAGE = "SIP trunk not found."
PHONE_NUMBER_NOT_FOUND_MESSAGE = "Phone number not found."
DUPLICATE_TRUNK_MESSAGE = (
    "A SIP trunk with the same phone number, username, and address already exists."
)

_MAX_SQLITE_INTEGER = 2**63 - 1
_TRUNK_ID = id_parameter("trunk_id", "The SIP trunk id")
_PHONE_NUMBER_ID = id_parameter("phone_number_id", "The phone number id (= SIP trunk id)")
# Module level: route signatures are resolved against module globals (postponed annotations).
_BEARER = HTTPBearer(auto_error=False, description="An autocalls API key")


class Unauthenticated(Exception):
    pass


class _PhoneNumberIdConvertor(StringConvertor):
    """Any path segment but `sip-trunks`: that one names the SIP trunk collection, where DELETE
    is a 405 (as the OpenAPI document says), not a 404 for a phone number called so."""

    regex = "(?!sip-trunks$)[^/]+"


register_url_convertor("phone_number_id", _PhoneNumberIdConvertor())


def unauthenticated_response() -> JSONResponse:
    return JSONResponse({"message": UNAUTHENTICATED_MESSAGE}, status_code=401)


def validation_failed_response(errors: ValidationErrors) -> JSONResponse:
    return JSONResponse({"message": INVALID_DATA_MESSAGE, "errors": errors}, status_code=422)


def build_api_router(trunks: TrunkService, settings: RuntimeSettings) -> APIRouter:
    async def require_api_key(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)],
    ) -> None:
        if credentials is None or not settings.accepts(credentials.credentials):
            raise Unauthenticated

    router = APIRouter(
        prefix="/api",
        dependencies=[Depends(require_api_key)],
        responses={401: UNAUTHENTICATED, 429: THROTTLED},
    )

    @router.get("/user/me", response_model=UserBody, responses={500: SERVER_ERROR})
    async def get_current_user() -> JSONResponse:
        return JSONResponse(EMULATED_USER)

    @router.get(
        "/user/phone-numbers/sip-trunks",
        response_model=TrunkListBody,
        responses={500: SERVER_ERROR},
    )
    async def list_sip_trunks() -> JSONResponse:
        return JSONResponse({"data": [summary_json(trunk) for trunk in trunks.list()]})

    @router.post(
        "/user/phone-numbers/sip-trunks",
        status_code=201,
        response_model=TrunkWrittenBody,
        responses={409: DUPLICATE_TRUNK, 422: INVALID_DATA, 500: PROVISIONING_FAILED},
        openapi_extra=CREATE_REQUEST,
    )
    async def create_sip_trunk(request: Request) -> JSONResponse:
        body = await _json_object_body(request)
        try:
            trunk = trunks.create(body)
        except DuplicateTrunk:
            return _duplicate_trunk_response()
        return JSONResponse({"message": TRUNK_CREATED, "data": detail_json(trunk)}, status_code=201)

    @router.get(
        "/user/phone-numbers/sip-trunks/{trunk_id}",
        response_model=TrunkBody,
        responses={404: TRUNK_NOT_FOUND, 500: SERVER_ERROR},
        openapi_extra=_TRUNK_ID,
    )
    async def get_sip_trunk(request: Request) -> JSONResponse:
        trunk_id = _integer_id(request.path_params["trunk_id"])
        try:
            trunk = trunks.get(trunk_id)
        except TrunkNotFound:
            return _error_response(404, TRUNK_NOT_FOUND_MESSAGE)
        return JSONResponse({"data": detail_json(trunk)})

    @router.put(
        "/user/phone-numbers/sip-trunks/{trunk_id}",
        response_model=TrunkWrittenBody,
        responses={
            404: TRUNK_NOT_FOUND,
            409: DUPLICATE_TRUNK,
            422: INVALID_DATA,
            500: PROVISIONING_FAILED,
        },
        openapi_extra={**UPDATE_REQUEST, **_TRUNK_ID},
    )
    async def update_sip_trunk(request: Request) -> JSONResponse:
        trunk_id = _integer_id(request.path_params["trunk_id"])
        body = await _json_object_body(request)
        try:
            trunk = trunks.update(trunk_id, body)
        except TrunkNotFound:
            return _error_response(404, TRUNK_NOT_FOUND_MESSAGE)
        except DuplicateTrunk:
            return _duplicate_trunk_response()
        return JSONResponse({"message": TRUNK_UPDATED, "data": detail_json(trunk)})

    @router.delete(
        "/user/phone-numbers/{phone_number_id:phone_number_id}",
        response_model=MessageBody,
        responses={404: PHONE_NUMBER_NOT_FOUND, 500: PROVISIONING_FAILED},
        openapi_extra=_PHONE_NUMBER_ID,
    )
    async def delete_phone_number(request: Request) -> JSONResponse:
        trunk_id = _integer_id(request.path_params["phone_number_id"])
        try:
            trunks.delete(trunk_id)
        except TrunkNotFound:
            return _error_response(404, PHONE_NUMBER_NOT_FOUND_MESSAGE)
        return JSONResponse({"message": PHONE_NUMBER_DELETED})

    return router


def _integer_id(text: str) -> int:
    """The id in a path, or 0 (which no trunk has) for anything that is not a stored integer."""
    if not (text.isascii() and text.isdigit()):
        return 0
    value = int(text)
    return value if value <= _MAX_SQLITE_INTEGER else 0


async def _json_object_body(request: Request) -> dict[str, Any]:
    """The JSON object in the body; an empty body counts as `{}`."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        parsed = read_json(raw)
    except UnreadableJson as error:
        raise ValidationFailed({"body": [str(error)]}) from error
    if not isinstance(parsed, dict):
        raise ValidationFailed({"body": [BODY_NOT_OBJECT]})
    return parsed


def _error_response(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _duplicate_trunk_response() -> JSONResponse:
    return _error_response(409, DUPLICATE_TRUNK_MESSAGE)
