"""The benchmark runs end to end, and every API request count it reports is at its floor.

Timings are not asserted (tests assert behaviour, never time); BENCHMARKS.md has the figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parents[2] / "benchmarks" / "run.py"


def test_benchmark_reports_request_counts_at_their_floors() -> None:
    completed = subprocess.run(
        [sys.executable, str(RUN), "--trunks", "5", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    summary = json.loads(completed.stdout.strip().splitlines()[-1])

    operations = summary["operations"]
    assert {name: op["requests"] for name, op in operations.items()} == {
        "preview_create": 0,
        "create": 5,
        "preview_nochange": 0,
        "up_nochange": 0,
        "preview_edit": 0,
        "up_edit": 1,
        "refresh": 5,
        "destroy": 10,
    }
    assert all(op["at_floor"] for op in operations.values())
    assert operations["create"]["requests_by_method"] == {"POST": 5}
    assert operations["up_edit"]["requests_by_method"] == {"PUT": 1}
    assert operations["refresh"]["requests_by_method"] == {"GET": 5}
    assert operations["destroy"]["requests_by_method"] == {"GET": 5, "DELETE": 5}
    assert summary["update_bytes"]["sent_median"] < summary["update_bytes"]["full_object_median"]
    # The reference providers ran the same stack: one POST per trunk, then none at all.
    assert summary["reference_create"]["requests"] == 5
    assert summary["reference_sleep_create"]["requests"] == 0
    assert set(summary["create_breakdown"]) == {
        "platform_s",
        "api_beyond_latency_s",
        "provider_s",
        "provider_share_of_create",
    }
    assert summary["targets"]["requests_at_floor"] is True
    assert summary["targets"]["no_change_preview_zero_requests"] is True
