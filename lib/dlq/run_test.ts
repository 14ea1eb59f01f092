import assert from "node:assert/strict";
import { dlqConfig, replayConfig } from "./options.ts";
import { emptyTally } from "./replay_decision.ts";
import { runDlqTool } from "./run.ts";
import { DlqSummaryBuilder } from "./summary.ts";

/** Modes that record how they were called and end as told. */
function fakeModes(fatal?: string) {
  const calls: string[] = [];
  return {
    calls,
    modes: {
      runMonitor: (_c: unknown, events?: { started?(): void }) => {
        calls.push("monitor");
        events?.started?.();
        return Promise.resolve({ summary: new DlqSummaryBuilder().summary(), fatal });
      },
      runReplay: () => {
        calls.push("replay");
        return Promise.resolve({ tally: emptyTally(), fatal });
      },
    },
  };
}

Deno.test("runDlqTool() watches by default: its start line, then the summary", async () => {
  const lines: string[] = [];
  const { calls, modes } = fakeModes();
  const config = dlqConfig({ brokers: [], topic: "orders-dlq", group: "g", fromBeginning: true });
  const fatal = await runDlqTool(
    config,
    { line: (t) => lines.push(t) },
    AbortSignal.abort(),
    modes,
  );
  assert.equal(fatal, undefined);
  assert.deepEqual(calls, ["monitor"]);
  assert.equal(
    lines[0],
    "DLQ Consumer started, monitoring dead letter queue orders-dlq from the oldest record (group g)...",
  );
  assert.ok(lines.includes("DEAD LETTER QUEUE SUMMARY"), lines.join("\n"));
});

Deno.test("runDlqTool() replays with --replay and hands back the fatal reason", async () => {
  const lines: string[] = [];
  const { calls, modes } = fakeModes("target topic gone");
  const config = dlqConfig({
    brokers: [],
    topic: "orders-dlq",
    group: "g",
    output: "json",
    replay: replayConfig({ dryRun: true }),
  });
  const fatal = await runDlqTool(
    config,
    { line: (t) => lines.push(t) },
    AbortSignal.abort(),
    modes,
  );
  assert.equal(fatal, "target topic gone");
  assert.deepEqual(calls, ["replay"]);
  assert.equal(lines.length, 1);
  assert.equal(JSON.parse(lines[0]).event, "summary");
});
