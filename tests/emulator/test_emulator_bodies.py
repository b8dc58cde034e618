"""Bodies that crashed or bloated the emulator: too large (413 before anything else), too deeply
nested or holding unpaired surrogates (422), and the journal, which stays servable whatever it
recorded."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest
from pulumi_autocalls.emulator import EmulatorProcess
from pulumi_autocalls.emulator._journal import MAX_JOURNAL_BYTES, Journal

TRUNKS = "/user/phone-numbers/sip-trunks"
JSON = {"Content-Type": "application/json"}
ONE_MB = 1024 * 1024
TOO_LARGE = {"message": "The request body must not be larger than 1048576 bytes (1 MB)."}
TOO_DEEP = "The request body must not nest arrays and objects more than 32 levels deep."
NOT_UNICODE = "The request body must not contain unpaired UTF-16 surrogates (\\ud800-\\udfff)."
NOT_JSON = "The request body must be valid JSON."
STRING_FIELDS = (
    "sip_trunk_type",
    "phone_number",
    "nickname",
    "sip_username",
    "sip_password",
    "sip_address",
    "sip_calling_format",
    "inbound_authorization_type",
    "country_code",
)


def invalid(key: str, message: str) -> dict[str, Any]:
    return {"message": "The given data was invalid.", "errors": {key: [message]}}


def raw_answer(port: int, head: str, body: bytes = b"") -> tuple[str, bytes]:
    """Sends `head` (a request line and headers, without the blank line) and `body` on a fresh
    connection; returns the status line and the body of the answer, which must come within 10 s
    whether or not the server has read what it was told to expect."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(head.encode() + b"\r\n\r\n" + body)
        received = b""
        while b"\r\n\r\n" not in received:
            received += connection.recv(65536)
        header_block, _, content = received.partition(b"\r\n\r\n")
        length = int(
            next(
                line.split(b":", 1)[1]
                for line in header_block.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
        )
        while len(content) < length:
            content += connection.recv(65536)
    return header_block.split(b"\r\n")[0].decode(), content


@pytest.mark.parametrize(
    "path", [f"/api{TRUNKS}", "/api/user/me", "/_emulator/api-keys", "/_emulator/reset"]
)
def test_a_body_announced_above_1_mb_gets_413_before_it_is_sent(
    clean_emulator: EmulatorProcess, path: str
) -> None:
    """Unauthenticated, and without the body: the answer cannot have waited for it."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{clean_emulator.port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {50 * ONE_MB}"
    )

    status_line, content = raw_answer(clean_emulator.port, head)

    assert status_line == "HTTP/1.1 413 Request Entity Too Large"
    assert json.loads(content) == TOO_LARGE
    assert clean_emulator.requests() == []


def test_a_chunked_body_gets_413_once_it_passes_1_mb(clean_emulator: EmulatorProcess) -> None:
    """No length announced: the emulator reads up to the limit, one byte more, and answers
    without waiting for the rest (the final chunk is never sent)."""
    head = (
        f"POST /api{TRUNKS} HTTP/1.1\r\nHost: 127.0.0.1:{clean_emulator.port}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked"
    )
    chunk = b"%x\r\n" % (ONE_MB + 1) + b" " * (ONE_MB + 1) + b"\r\n"

    status_line, content = raw_answer(clean_emulator.port, head, chunk)

    assert status_line == "HTTP/1.1 413 Request Entity Too Large"
    assert json.loads(content) == TOO_LARGE
    assert clean_emulator.requests() == []


def test_1_mb_is_taken_and_one_byte_more_is_not(
    clean_emulator: EmulatorProcess, api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    body = {**extension_request, "padding": ""}
    body["padding"] = "x" * (ONE_MB - len(json.dumps(body)))
    at_limit = json.dumps(body).encode()
    assert len(at_limit) == ONE_MB

    taken = api.post(TRUNKS, content=at_limit, headers=JSON)
    refused = api.post(
        TRUNKS, content=at_limit.replace(b'"padding": "', b'"padding": "x'), headers=JSON
    )

    assert taken.status_code == 201
    assert (refused.status_code, refused.json()) == (413, TOO_LARGE)
    # The connection is still good: the emulator read and dropped the rest of the refused body.
    assert api.get(TRUNKS).status_code == 200
    assert [(entry["status"], entry["bytes"]) for entry in clean_emulator.requests()] == [
        (201, ONE_MB),
        (200, 0),
    ]


def _resident_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line[:6] == "VmRSS:"))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_four_unauthenticated_50_mb_posts_leave_the_emulator_as_it_was(
    clean_emulator: EmulatorProcess, anonymous: httpx.Client
) -> None:
    """What the audit sent: memory grew from 59 to 258 MB, all of it kept in the journal."""
    body = b'{"sip_password": "' + b"p" * (50 * ONE_MB) + b'"}'
    before = _resident_kib(clean_emulator.pid)

    statuses = [
        anonymous.post(f"/api{TRUNKS}", content=body, headers=JSON).status_code for _ in range(4)
    ]

    assert statuses == [413] * 4
    assert _resident_kib(clean_emulator.pid) - before < 10 * 1024
    assert clean_emulator.requests() == []


@pytest.mark.parametrize("field", STRING_FIELDS)
@pytest.mark.parametrize(
    "encoded", [b'"\\ud800"', b'"x\\udfffx"', b'"\xed\xa0\x80"'], ids=["escape", "low", "bytes"]
)
def test_an_unpaired_surrogate_in_any_field_of_a_create_is_422(
    api: httpx.Client,
    clean_emulator: EmulatorProcess,
    extension_request: dict[str, Any],
    field: str,
    encoded: bytes,
) -> None:
    """It was a 500 from SQLite (or from encoding the answer), and broke the journal."""
    placeholder = "surrogate-goes-here"
    text = json.dumps({**extension_request, field: placeholder}).encode()
    raw = text.replace(json.dumps(placeholder).encode(), encoded)

    response = api.post(TRUNKS, content=raw, headers=JSON)

    assert (response.status_code, response.json()) == (422, invalid("body", NOT_UNICODE))
    assert api.get(TRUNKS).json() == {"data": []}
    assert [(entry["status"], entry["body"]) for entry in clean_emulator.requests()] == [
        (422, None),
        (200, None),
    ]


def test_a_valid_surrogate_pair_is_one_character(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    raw = json.dumps({**extension_request, "nickname": "\U0001f389"}).encode()
    assert b"\\ud83c\\udf89" in raw

    response = api.post(TRUNKS, content=raw, headers=JSON)

    assert (response.status_code, response.json()["data"]["nickname"]) == (201, "\U0001f389")


def _nested(depth: int) -> bytes:
    """An object whose `extra` field nests lists so that the body is `depth` levels deep."""
    return b'{"extra": ' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"


def test_32_levels_are_read_and_33_are_not(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    head = json.dumps(extension_request).encode()[:-1] + b", "

    deepest = api.post(TRUNKS, content=head + _nested(32)[1:], headers=JSON)
    too_deep = api.put(
        f"{TRUNKS}/{deepest.json()['data']['id']}", content=_nested(33), headers=JSON
    )

    assert deepest.status_code == 201, deepest.text
    assert (too_deep.status_code, too_deep.json()) == (422, invalid("body", TOO_DEEP))


@pytest.mark.parametrize("depth", [260, 5000, 400_000])
def test_absurd_nesting_is_422_and_the_journal_stays_servable(
    api: httpx.Client, anonymous: httpx.Client, clean_emulator: EmulatorProcess, depth: int
) -> None:
    """Nesting about 260 deep made GET /_emulator/requests a 500 until the journal was cleared;
    deeper raised RecursionError in the journal's middleware, unauthenticated too."""
    raw = b"[" * depth + b"]" * depth

    authenticated = api.post(TRUNKS, content=raw, headers=JSON)
    unauthenticated = anonymous.post(f"/api{TRUNKS}", content=raw, headers=JSON)
    journal = anonymous.get("/_emulator/requests")

    assert (authenticated.status_code, authenticated.json()) == (422, invalid("body", TOO_DEEP))
    assert unauthenticated.status_code == 401
    assert journal.status_code == 200
    assert journal.json() == {
        "requests": [
            {
                "method": "POST",
                "path": f"/api{TRUNKS}",
                "status": status,
                "body": None,
                "bytes": 2 * depth,
            }
            for status in (422, 401)
        ]
    }


@pytest.mark.parametrize(
    "raw",
    [b'{"sip_password": NaN}', b'{"outbound_proxy": Infinity}', b"[-Infinity]", b"\xff\xfe{}"],
)
def test_what_is_not_strict_json_is_422(
    api: httpx.Client, clean_emulator: EmulatorProcess, raw: bytes
) -> None:
    response = api.post(TRUNKS, content=raw, headers=JSON)

    assert (response.status_code, response.json()) == (422, invalid("body", NOT_JSON))
    assert clean_emulator.requests()[0]["body"] is None


def test_the_journal_keeps_its_newest_entries_within_its_byte_budget() -> None:
    """Requests sent to fill it (authenticated or not) push the oldest entries out instead of
    growing the emulator's memory: the journal holds at most MAX_JOURNAL_BYTES of JSON text."""
    journal = Journal()
    body = json.dumps({"filler": "f" * (ONE_MB - 20)}).encode()
    entries = MAX_JOURNAL_BYTES // ONE_MB + 8
    for index in range(entries):
        journal.record("POST", f"/api/{index}", 401, body)

    served = json.loads(journal.as_json())["requests"]

    assert len(journal.as_json()) <= MAX_JOURNAL_BYTES + len('{"requests":[]}') + len(served)
    assert len(served) < entries
    assert [entry["path"] for entry in served] == [
        f"/api/{index}" for index in range(entries - len(served), entries)
    ]
    assert served[-1]["body"] == {"filler": "f" * (ONE_MB - 20)}
