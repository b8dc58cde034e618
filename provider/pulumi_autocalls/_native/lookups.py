"""The native provider's functions: ``getSipTrunk`` (one trunk by id) and ``listSipTrunks``.

Their tokens and result shapes are the core's (``_core.invokes``, which the dynamic face's
Output-form lookups send): what the API shows of a trunk, under the resource's output names,
with the trunk's ``id``; the password is never among it (the API never returns it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .._core.invokes import GET_SIP_TRUNK, LIST_SIP_TRUNKS, LISTED
from .._exceptions import AutocallsError
from .naming import schema_name
from .schema import LIST_FILTERS, LISTED_FIELDS, LOOKUP_FIELDS

if TYPE_CHECKING:
    from .._core.client import AutocallsClient
    from .._core.fields import Field
    from .._core.models import SipTrunkSummary


def invoke(
    token: str, args: Mapping[str, Any], api: Callable[[], AutocallsClient]
) -> dict[str, Any]:
    """The result of the function ``token`` for ``args``."""
    if token == GET_SIP_TRUNK:
        try:
            record = api().get_sip_trunk(args.get("id", ""))
        except ValueError as error:  # not a trunk id at all
            raise AutocallsError(str(error), operation="get SIP trunk") from None
        return _described(record, LOOKUP_FIELDS)
    if token == LIST_SIP_TRUNKS:
        filters = {name: args.get(schema_name(name)) for name in LIST_FILTERS}
        found = api().find_sip_trunks(**filters)
        return {LISTED: [_described(trunk, LISTED_FIELDS) for trunk in found]}
    raise AutocallsError(
        f"{token} is not a function of autocalls (functions: {GET_SIP_TRUNK}, {LIST_SIP_TRUNKS}).",
        operation=f"invoke {token}",
    )


def _described(trunk: SipTrunkSummary, fields: tuple[Field, ...]) -> dict[str, Any]:
    values = trunk.model_dump()
    described = {f.schema_name: values[f.name] for f in fields if values.get(f.name) is not None}
    return {"id": str(trunk.id), **described}
