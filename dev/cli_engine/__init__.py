"""Run Pulumi programs on the real Pulumi CLI, hermetically, and read what the engine reports.

Usage::

    from cli_engine import CliStack, Secret

    stack = CliStack(bin_dir, tmp_path, project="autocalls-basic",
                     config={"autocalls:apiKey": Secret(key), "sipPassword": Secret("pw")})
    result = stack.up(Path("examples/basic"))      # a directory with __main__.py, or a function
    result.ops(), result.changes, result.diagnostics, result.output
    stack.export()                                 # `pulumi stack export`

``bin_dir`` is what ``scripts/pulumi_cli.py`` prints. A failed command raises ``CliFailed``,
whose ``result`` holds what the CLI printed and the engine's events.
"""

from ._result import CliResult, Diagnostic, StepEvent
from ._stack import (
    PASSPHRASE,
    SECRET_SIG,
    CliFailed,
    CliStack,
    Program,
    Secret,
    unwrap_exported,
)

__all__ = [
    "PASSPHRASE",
    "SECRET_SIG",
    "CliFailed",
    "CliResult",
    "CliStack",
    "Diagnostic",
    "Program",
    "Secret",
    "StepEvent",
    "unwrap_exported",
]
