import assert from "node:assert/strict";
import { parseScaling, parseSteps, STEPS } from "./options.ts";

Deno.test("parseSteps() takes every step when --only is not given", () => {
  assert.deepEqual([...parseSteps(undefined)], [...STEPS]);
});

Deno.test("parseSteps() keeps the listed steps and names the first unknown one", () => {
  assert.deepEqual([...parseSteps("memory, produce,memory")], ["memory", "produce"]);
  assert.throws(() => parseSteps("produce,warp,nope"), {
    name: "UsageError",
    message:
      "--only must list steps of produce,consume,metrics,reference,e2e,scaling,instances,memory,tls: current value has 'warp'",
  });
});

Deno.test("parseScaling() sorts the sizes and adds 1,000,000 once on --with-1m", () => {
  assert.deepEqual(parseScaling(undefined, false), [10_000, 100_000]);
  assert.deepEqual(parseScaling("500, 100,", true), [100, 500, 1_000_000]);
  assert.deepEqual(parseScaling("1000000", true), [1_000_000]);
  assert.throws(() => parseScaling("10,0", false), {
    name: "UsageError",
    message: "--scaling must be >= 1: current value is 0",
  });
});
