import assert from "node:assert/strict";
import { parseCpuMs, runMeasured } from "./process.ts";

Deno.test("`parseCpuMs()` adds utime and stime, counting fields after the command name", () => {
  // utime 150 and stime 25 ticks at 100 per second: 1.75 s.
  const stat = "42 (deno (x) y) S 1 42 42 0 -1 4194560 1 0 0 0 150 25 0 0 20 0 9 0 123";
  assert.equal(parseCpuMs(stat, 100), 1750);
  assert.equal(parseCpuMs(stat, 1000), 175);
});

Deno.test("`parseCpuMs()` returns undefined for text that is not a stat line", () => {
  assert.equal(parseCpuMs("", 100), undefined);
  assert.equal(parseCpuMs("42 (x) S 1", 100), undefined);
});

Deno.test({
  name: "`runMeasured()` returns a process's output, exit code, wall and CPU time and peak RSS",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const run = await runMeasured(
      new Deno.Command("sh", {
        args: ["-c", "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; echo done; exit 3"],
        stdout: "piped",
        stderr: "piped",
      }),
      10,
    );
    assert.equal(run.code, 3);
    assert.equal(run.stdout, "done\n");
    assert.ok(run.peakRssMb > 0 && run.peakRssMb < 100, `${run.peakRssMb} MB`);
    assert.ok(run.cpuMs > 0 && run.cpuMs <= run.wallMs + 20, `${run.cpuMs} of ${run.wallMs} ms`);
  },
});
