import assert from "node:assert/strict";
import { parseVmHwm, readPeakRss, watchPeakRss } from "./memory.ts";

Deno.test("`parseVmHwm()` reads the VmHWM line in bytes", () => {
  const status = "Name:\tdeno\nVmPeak:\t 9999999 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n";
  assert.equal(parseVmHwm(status), 123456 * 1024);
});

Deno.test("`parseVmHwm()` returns undefined when there is no VmHWM line", () => {
  assert.equal(parseVmHwm("Name:\tkthreadd\nState:\tS (sleeping)\n"), undefined);
  assert.equal(parseVmHwm(""), undefined);
});

Deno.test({
  name: "`watchPeakRss()` reads a child's peak RSS until it exits",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const child = new Deno.Command("sleep", { args: ["0.3"], stdin: "null" }).spawn();
    const peak = await watchPeakRss(child.pid, child.status, { intervalMs: 20 });
    assert.ok(peak !== undefined && peak > 0, `peak ${peak}`);
    assert.equal(await readPeakRss(child.pid), undefined);
  },
});
