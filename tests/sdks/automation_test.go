// Runs one Pulumi operation on a Go program as an Automation API inline program (no Go language
// host can be built here), for tests/languages/test_languages.py. The test copies this file into
// a copy of the example (package main, whose `program` it runs) and compiles it with `go test -c`.
//
// $AUTOCALLS_AUTOMATION_REQUEST names a JSON file: {"op": "preview" | "up" | "destroy",
// "stack": NAME, "workDir": DIR, "config": {KEY: {"value": STRING, "secret": BOOL}}}.
// $AUTOCALLS_AUTOMATION_RESULT receives one JSON object: the CLI's stdout, the summary, the
// outputs, and from the engine's events each resource step (op, diffs, detailedDiff) and each
// diagnostic (urn, severity, message).
package main

import (
	"context"
	"encoding/json"
	"os"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
)

type request struct {
	Op      string                      `json:"op"`
	Stack   string                      `json:"stack"`
	WorkDir string                      `json:"workDir"`
	Config  map[string]auto.ConfigValue `json:"config"`
}

type step struct {
	URN          string   `json:"urn"`
	Op           string   `json:"op"`
	Diffs        []string `json:"diffs"`
	DetailedDiff any      `json:"detailedDiff"`
}

type diagnostic struct {
	URN      string `json:"urn"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

type result struct {
	Stdout      string         `json:"stdout"`
	Summary     any            `json:"summary"`
	Outputs     map[string]any `json:"outputs"`
	Steps       []step         `json:"steps"`
	Diagnostics []diagnostic   `json:"diagnostics"`
}

// collect reads the engine's events until the operation closes the channel.
func collect(events <-chan events.EngineEvent, into *result, done *sync.WaitGroup) {
	defer done.Done()
	for event := range events {
		if pre := event.ResourcePreEvent; pre != nil {
			var detailed any
			if pre.Metadata.DetailedDiff != nil {
				detailed = pre.Metadata.DetailedDiff
			}
			into.Steps = append(into.Steps, step{
				URN: pre.Metadata.URN, Op: string(pre.Metadata.Op), Diffs: pre.Metadata.Diffs, DetailedDiff: detailed,
			})
		}
		if diag := event.DiagnosticEvent; diag != nil {
			into.Diagnostics = append(into.Diagnostics, diagnostic{
				URN: diag.URN, Severity: diag.Severity, Message: diag.Message,
			})
		}
	}
}

func TestAutomation(t *testing.T) {
	text, err := os.ReadFile(os.Getenv("AUTOCALLS_AUTOMATION_REQUEST"))
	if err != nil {
		t.Fatal(err)
	}
	var req request
	if err := json.Unmarshal(text, &req); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	stack, err := auto.UpsertStackInlineSource(ctx, req.Stack, "", program, auto.WorkDir(req.WorkDir))
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.SetAllConfig(ctx, req.Config); err != nil {
		t.Fatal(err)
	}

	out := result{Outputs: map[string]any{}, Steps: []step{}, Diagnostics: []diagnostic{}}
	stream := make(chan events.EngineEvent)
	var reading sync.WaitGroup
	reading.Add(1)
	go collect(stream, &out, &reading)
	switch req.Op {
	case "preview":
		var done auto.PreviewResult
		done, err = stack.Preview(ctx, optpreview.EventStreams(stream))
		out.Stdout, out.Summary = done.StdOut, done.ChangeSummary
	case "up":
		var done auto.UpResult
		done, err = stack.Up(ctx, optup.EventStreams(stream))
		out.Stdout, out.Summary = done.StdOut, done.Summary.ResourceChanges
		for name, output := range done.Outputs {
			out.Outputs[name] = output.Value
		}
	case "destroy":
		var done auto.DestroyResult
		done, err = stack.Destroy(ctx, optdestroy.EventStreams(stream))
		out.Stdout, out.Summary = done.StdOut, done.Summary.ResourceChanges
	default:
		t.Fatalf("unknown operation %q", req.Op)
	}
	reading.Wait()
	if err != nil {
		t.Fatal(err)
	}
	written, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(os.Getenv("AUTOCALLS_AUTOMATION_RESULT"), written, 0o600); err != nil {
		t.Fatal(err)
	}
}
