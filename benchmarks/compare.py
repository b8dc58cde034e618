"""Compare runs of benchmarks/run.py side by side.

    python benchmarks/compare.py RESULT.json [RESULT.json ...]

Each file holds the output of one ``benchmarks/run.py`` run (its last line is the JSON summary;
anything before it is ignored). Prints, per operation, the requests against their floor and the
median wall time of every run, then, for runs at the same latency, how the wall time grew with
the number of trunks (``x`` = wall-time ratio, ``/trunk`` = that ratio divided by the trunk
ratio: 1.0 is linear growth).
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ORDER = (
    "preview_create",
    "create",
    "preview_nochange",
    "up_nochange",
    "preview_edit",
    "up_edit",
    "refresh",
    "destroy",
)


def load(path: str) -> dict[str, Any]:
    lines = [line for line in Path(path).read_text().splitlines() if line.strip()]
    summary: dict[str, Any] = json.loads(lines[-1])
    return summary


def label(run: dict[str, Any]) -> str:
    return f"{run['trunks']}t/{run['latency_ms']:g}ms"


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    runs = sorted((load(path) for path in paths), key=lambda r: (r["latency_ms"], r["trunks"]))
    present = runs[0]["operations"]
    operations = [name for name in ORDER if name in present]
    operations += [name for name in present if name not in ORDER]
    width = max(12, *(len(label(run)) + 2 for run in runs))
    header = "".join(f"{label(run):>{width + 10}}" for run in runs)
    print(f"{'wall s (requests/floor)':<22}{header}")
    for name in operations:
        cells = []
        for run in runs:
            op = run["operations"][name]
            cells.append(f"{op['wall_s']:.2f} ({op['requests']}/{op['floor']})")
        print(f"{name:<22}" + "".join(f"{cell:>{width + 10}}" for cell in cells))
    rows: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
        ("check+diff us/trunk", lambda r: r["provider_check_diff_us_per_trunk"]),
        ("update bytes sent", lambda r: r["update_bytes"]["sent_median"]),
        ("update bytes full", lambda r: r["update_bytes"]["full_object_median"]),
        ("serialized provider", lambda r: r["serialized_provider_b64_len"]),
        ("state bytes/trunk", lambda r: r["state_bytes_per_trunk"]),
        ("provider peak MiB", lambda r: r["provider_peak_rss_mib"]),
    ]
    for title, value in rows:
        print(f"{title:<22}" + "".join(f"{value(run)!s:>{width + 10}}" for run in runs))

    by_latency: dict[float, list[dict[str, Any]]] = {}
    for run in runs:
        by_latency.setdefault(run["latency_ms"], []).append(run)
    for group in by_latency.values():
        for small, large in itertools.pairwise(group):
            if small["trunks"] == large["trunks"]:
                continue
            factor = large["trunks"] / small["trunks"]
            print(f"\ngrowth {label(small)} -> {label(large)} (trunks x{factor:g})")
            for name in operations:
                before = small["operations"][name]["wall_s"]
                after = large["operations"][name]["wall_s"]
                ratio = after / before if before else float("nan")
                print(f"  {name:<20} x{ratio:5.2f}   /trunk {ratio / factor:5.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
