import assert from "node:assert/strict";
import { LagWindow, registerProcessMetrics } from "./process.ts";
import { newRegistry } from "./registry.ts";

Deno.test("LagWindow.max() is the largest of the last samples, 0 before any", () => {
  const w = new LagWindow(3);
  assert.equal(w.max(), 0);
  for (const s of [0.2, 0.001, 0.003, 0.004]) w.add(s);
  assert.equal(w.max(), 0.004);
  w.add(-5);
  assert.equal(w.max(), 0.004);
});

Deno.test("registerProcessMetrics() shows memory, start time, lag and up with the program", async () => {
  const registry = newRegistry();
  const stop = registerProcessMetrics(registry, "consumer");
  try {
    const text = await registry.metrics();
    assert.match(text, /^order_pipeline_up\{program="consumer"\} 1$/m);
    const rss = Number(/^process_resident_memory_bytes (\S+)$/m.exec(text)?.[1]);
    assert.ok(rss > 1024 * 1024, `rss ${rss}`);
    const start = Number(/^process_start_time_seconds (\S+)$/m.exec(text)?.[1]);
    assert.ok(Math.abs(start - performance.timeOrigin / 1000) < 1e-6);
    assert.match(text, /^process_event_loop_lag_seconds \d/m);
  } finally {
    stop();
  }
});
