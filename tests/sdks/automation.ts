// Runs one Pulumi operation on a TypeScript program as an Automation API inline program (no
// Node.js language host can be built here), for tests/languages/test_languages.py.
//
// stdin: {"op": "preview" | "up" | "destroy", "stack": NAME, "workDir": DIR, "program": MODULE,
//         "config": {KEY: {"value": STRING, "secret": BOOL}}}
// stdout: one JSON object: the CLI's stdout, the summary, the outputs, and from the engine's
//         events each resource step (op, diffs, detailedDiff) and each diagnostic (urn, severity,
//         message).
import { EngineEvent, LocalWorkspace, OutputMap, PulumiFn } from "@pulumi/pulumi/automation";

interface Request {
    op: "preview" | "up" | "destroy";
    stack: string;
    workDir: string;
    program: string;
    config: Record<string, { value: string; secret: boolean }>;
}

async function readStdin(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) {
        chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString("utf8");
}

async function main(): Promise<void> {
    const request = JSON.parse(await readStdin()) as Request;
    const program = require(request.program) as PulumiFn;
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: request.stack, projectName: "", program },
        { workDir: request.workDir },
    );
    await stack.setAllConfig(request.config);
    const steps: unknown[] = [];
    const diagnostics: unknown[] = [];
    const onEvent = (event: EngineEvent) => {
        const step = event.resourcePreEvent?.metadata;
        if (step !== undefined) {
            steps.push({ urn: step.urn, op: step.op, diffs: step.diffs ?? [], detailedDiff: step.detailedDiff ?? null });
        }
        const diagnostic = event.diagnosticEvent;
        if (diagnostic !== undefined) {
            diagnostics.push({ urn: diagnostic.urn ?? "", severity: diagnostic.severity, message: diagnostic.message });
        }
    };
    let stdout: string;
    let summary: unknown;
    let outputs: OutputMap = {};
    if (request.op === "preview") {
        const result = await stack.preview({ onEvent, diff: false });
        [stdout, summary] = [result.stdout, result.changeSummary];
    } else if (request.op === "up") {
        const result = await stack.up({ onEvent });
        [stdout, summary, outputs] = [result.stdout, result.summary.resourceChanges, result.outputs];
    } else {
        const result = await stack.destroy({ onEvent });
        [stdout, summary] = [result.stdout, result.summary.resourceChanges];
    }
    const plainOutputs = Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]));
    process.stdout.write(JSON.stringify({ stdout, summary, outputs: plainOutputs, steps, diagnostics }));
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
});
