"""Control routes under /_emulator (hidden from the OpenAPI document): health, the request
journal, fault injection, latency, accepted API keys, reset. Who may call them is decided before
they run, by _control_guard."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ._faults import Fault
from ._settings import MAX_LATENCY_MS
from ._state import EmulatorState

CONTROL_PREFIX = "/_emulator"


class FaultRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: int | None = Field(default=None, ge=100, le=599)
    method: str | None = None
    path_prefix: str = "/api"
    times: int = Field(default=1, ge=1)
    retry_after: int | None = Field(default=None, ge=0)
    retry_after_in: Literal["header", "body", "both"] = "both"
    delay_s: float = Field(default=0.0, ge=0, le=MAX_LATENCY_MS / 1000)
    after_commit: bool = False
    drop: bool = False

    @model_validator(mode="after")
    def _status_unless_dropped(self) -> FaultRequest:
        if self.status is None and not self.drop:
            raise ValueError("status is required unless drop is true")
        return self


class LatencyRequest(BaseModel):
    ms: float = Field(ge=0, le=MAX_LATENCY_MS)


class ApiKeysRequest(BaseModel):
    keys: list[str]


def build_control_router(state: EmulatorState) -> APIRouter:
    router = APIRouter(prefix=CONTROL_PREFIX, include_in_schema=False)

    @router.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/requests")
    async def list_requests() -> Response:
        return Response(state.journal.as_json(), media_type="application/json")

    @router.delete("/requests")
    async def clear_requests() -> dict[str, str]:
        state.journal.clear()
        return {"status": "ok"}

    @router.get("/faults")
    async def list_faults() -> dict[str, list[dict[str, Any]]]:
        return {"faults": [fault.as_json() for fault in state.faults.remaining()]}

    @router.post("/faults", status_code=201)
    async def add_fault(request: FaultRequest) -> dict[str, dict[str, Any]]:
        fault = Fault(**request.model_dump())
        state.faults.add(fault)
        return {"fault": fault.as_json()}

    @router.delete("/faults")
    async def clear_faults() -> dict[str, str]:
        state.faults.clear()
        return {"status": "ok"}

    @router.get("/latency")
    async def get_latency() -> dict[str, float]:
        return {"ms": state.settings.latency_ms}

    @router.put("/latency")
    async def set_latency(request: LatencyRequest) -> dict[str, float]:
        state.settings.set_latency_ms(request.ms)
        return {"ms": state.settings.latency_ms}

    @router.put("/api-keys")
    async def set_api_keys(request: ApiKeysRequest) -> dict[str, int]:
        state.settings.set_api_keys(request.keys)
        return {"accepted_keys": len(request.keys)}

    @router.post("/reset")
    async def reset() -> dict[str, str]:
        state.reset()
        return {"status": "ok"}

    return router
