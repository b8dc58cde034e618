"""The read-only checks of ``doctor``: the key, the list, each listed trunk, and a 404."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from functools import partial
from typing import Any

from .._core.client import AutocallsClient
from .._core.models import AccountInfo
from .._exceptions import APIConnectionError, AuthenticationError
from .documented import LISTED, READ, TRUNK_NOT_FOUND
from .observe import Recorder, data, failure, seen
from .report import Check, Deviation, Report
from .shapes import (
    LIST_FAILS,
    NOT_FOUND_UNSEEN,
    READ_FAILS,
    expected_fields,
    names,
    refusal,
    success,
    trunk_object,
)

UNUSED_TRUNK_ID = 2**31 - 1
"""The id the 404 is asked for (the next lower one if the account has a trunk with it)."""


def check_read_only(client: AutocallsClient, recorder: Recorder, report: Report) -> set[str] | None:
    """Add the read-only checks to ``report``; the listed trunks' phone numbers, or None when the
    key or the connection failed (then nothing else can be checked)."""
    key, usable = _key(recorder, client)
    report.add(key)
    if not usable:
        return None
    listing, items = _list(recorder, client)
    report.add(listing)
    ids = [item["id"] for item in items if _is_id(item.get("id"))]
    for trunk_id in ids:
        got = recorder.run(partial(client.get_sip_trunk, trunk_id))
        expected = f"{READ.describe()}: {expected_fields('record')}"
        checks = success(got, "GET", READ, READ_FAILS)
        report.add(Check(f"get {trunk_id}", expected, seen(got.answer("GET")), tuple(checks)))
    report.add(_not_found(recorder, client, ids))
    return {str(item.get("phone_number")) for item in items}


def _list(recorder: Recorder, client: AutocallsClient) -> tuple[Check, list[Mapping[str, Any]]]:
    """The list check, and the trunk objects the list held."""
    outcome = recorder.run(client.list_sip_trunks)
    answer = outcome.answer("GET")
    listed = data(answer)
    items = (
        [item for item in listed if isinstance(item, Mapping)] if isinstance(listed, list) else []
    )
    per_trunk = [(item.get("id"), d) for item in items for d in trunk_object(item, "list")]
    deviations = success(outcome, "GET", LISTED, LIST_FAILS, where="list") + _grouped(per_trunk)
    expected = f"{LISTED.describe()}: trunks with {expected_fields('list')}"
    shown = f"{seen(answer)}, {len(items)} trunks" if answer else seen(answer)
    return Check("list", expected, shown, tuple(deviations)), items


def _not_found(recorder: Recorder, client: AutocallsClient, ids: list[Any]) -> Check:
    unused = UNUSED_TRUNK_ID
    while unused in ids:
        unused -= 1
    missing = recorder.run(lambda: client.get_sip_trunk(unused))
    deviations = refusal(
        missing,
        "GET",
        TRUNK_NOT_FOUND,
        on_status=(NOT_FOUND_UNSEEN, False),
        accepted=(f"trunk {unused} exists: the check needs an unused id", False),
    )
    expected = f"{TRUNK_NOT_FOUND.describe()} for trunk {unused}"
    return Check("not found", expected, seen(missing.answer("GET")), tuple(deviations))


def _key(recorder: Recorder, client: AutocallsClient) -> tuple[Check, bool]:
    """The key check, and whether the other checks can run."""
    fields = tuple(AccountInfo.model_fields)
    expected = f"200 OK, the account ({', '.join(fields)})"
    outcome = recorder.run(client.me)
    answer = outcome.answer("GET")
    error = outcome.error
    if isinstance(error, AuthenticationError | APIConnectionError):
        refused = isinstance(error, AuthenticationError)
        cause = "the API refuses this key" if refused else "the API cannot be reached"
        deviation = Deviation(failure(error, answer), f"{cause}: every operation would fail", False)
        return Check("key", expected, seen(answer), (deviation,)), False
    if error is not None:
        consequence = "the provider does not call /user/me; the other checks go on"
        deviation = Deviation(failure(error, answer), consequence, True)
        return Check("key", expected, seen(answer), (deviation,)), True
    body: Any = answer.body if answer is not None else None
    if isinstance(body, Mapping) and isinstance(body.get("data"), Mapping):
        body = body["data"]
    missing = [name for name in fields if not isinstance(body, Mapping) or name not in body]
    deviations = (
        (Deviation(f"no {names(missing)}", "the provider does not read the account", True),)
        if missing
        else ()
    )
    return Check("key", expected, seen(answer), deviations), True


def _grouped(per_trunk: list[tuple[Any, Deviation]]) -> list[Deviation]:
    """One deviation for each way listed trunks differ, naming the trunks."""
    trunks: dict[Deviation, list[str]] = defaultdict(list)
    for trunk_id, deviation in per_trunk:
        trunks[deviation].append(str(trunk_id))
    return [
        Deviation(
            f"{deviation.seen} (trunks {', '.join(ids)})",
            deviation.consequence,
            deviation.provider_ok,
        )
        for deviation, ids in trunks.items()
    ]


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
