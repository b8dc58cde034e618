"""The lookups as Pulumi functions (invokes): their tokens, argument names and result shapes.

``autocalls:index:getSipTrunk`` takes ``id`` and returns one trunk;
``autocalls:index:listSipTrunks`` takes ``nickname`` and ``phoneNumber`` (either may be left out)
and returns ``{"sipTrunks": [...]}``. A trunk is an object of the field table's schema names
(``phoneNumber``, ``outboundTrunkId``, ...) plus ``id``, as a package schema would declare it;
listed trunks have no voice trunk ids, as the API's list has none.

The native provider (``pulumi-resource-autocalls``, ``_native/lookups.py``) serves these invokes.
The dynamic face sends them only where Pulumi's unit-test mocks answer them (``Mocks.call``), so
that its programs need no plugin and mocks written for it keep working.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .._exceptions import AutocallsError
from .fields import FIELDS_BY_NAME, PROPERTIES
from .models import SipTrunkRecord, SipTrunkSummary

GET_SIP_TRUNK = "autocalls:index:getSipTrunk"
LIST_SIP_TRUNKS = "autocalls:index:listSipTrunks"
LISTED = "sipTrunks"
"""The key of ``listSipTrunks``'s result that holds the trunks."""

_Model = TypeVar("_Model", bound=BaseModel)

# Field name -> schema name, for every property a trunk record has (``id`` is ``id`` in both).
_SCHEMA_NAMES = {prop.name: prop.schema_name for prop in PROPERTIES} | {"id": "id"}


def get_arguments(trunk_id: Any) -> dict[str, Any]:
    """The arguments of ``getSipTrunk``."""
    return {"id": trunk_id}


def list_arguments(nickname: Any, phone_number: Any) -> dict[str, Any]:
    """The arguments of ``listSipTrunks``; a filter that is None is left out."""
    given = {"nickname": nickname, "phone_number": phone_number}
    return {FIELDS_BY_NAME[k].schema_name: v for k, v in given.items() if v is not None}


def record_of(result: Mapping[str, Any]) -> SipTrunkRecord:
    """The trunk that ``getSipTrunk`` returned."""
    return _model(SipTrunkRecord, result, GET_SIP_TRUNK, where="")


def summaries_of(result: Mapping[str, Any]) -> list[SipTrunkSummary]:
    """The trunks that ``listSipTrunks`` returned."""
    listed = result.get(LISTED) if isinstance(result, Mapping) else None
    if not isinstance(listed, list):
        raise AutocallsError(
            f"The result of {LIST_SIP_TRUNKS} has no {LISTED} list: a Mocks.call answering it "
            f'returns {{"{LISTED}": [...]}}, each trunk under the schema names (see the README).',
            operation="list SIP trunks",
        )
    return [
        _model(SipTrunkSummary, item, LIST_SIP_TRUNKS, where=f"{LISTED}[{index}].")
        for index, item in enumerate(listed)
    ]


def _model(model: type[_Model], result: Any, token: str, *, where: str) -> _Model:
    by_field = {
        field: result[schema]
        for field, schema in _SCHEMA_NAMES.items()
        if isinstance(result, Mapping) and schema in result
    }
    try:
        return model.model_validate(by_field)
    except ValidationError as error:
        details = error.errors(include_url=False, include_input=False)
        named = [(f"{where}{_SCHEMA_NAMES[str(d['loc'][0])]}", d) for d in details]
        missing = [name for name, detail in named if detail["type"] == "missing"]
        wrong = [f"{name}: {detail['msg']}" for name, detail in named if name not in missing]
        problems = "; ".join(([f"it lacks {', '.join(missing)}"] if missing else []) + wrong)
        raise AutocallsError(
            f"The result of {token} is not a SIP trunk ({problems}): a Mocks.call answering it "
            "returns the trunk's fields under their schema names (see the README).",
            operation="get SIP trunk" if token == GET_SIP_TRUNK else "list SIP trunks",
        ) from None
