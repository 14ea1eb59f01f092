import assert from "node:assert/strict";
import { CHAOS_DEFAULTS, chaosConfig, productionMs, SHORT_CHAOS } from "./options.ts";

Deno.test("chaosConfig() is the full soak by default and the short one with its overrides", () => {
  assert.deepEqual(chaosConfig(), CHAOS_DEFAULTS);
  const short = chaosConfig(SHORT_CHAOS);
  assert.deepEqual(
    [short.orders, short.leaderKills, short.consumerKills, short.rollingRestart, short.rate],
    [20_000, 1, 3, false, 500],
  );
  assert.deepEqual([CHAOS_DEFAULTS.orders, CHAOS_DEFAULTS.leaderKills], [100_000, 3]);
});

Deno.test("chaosConfig() names the bad setting and its value", () => {
  const cases: [Parameters<typeof chaosConfig>[0], string][] = [
    [{ orders: 0 }, "orders must be a whole number >= 1: current value is 0"],
    [{ leaderKills: -1 }, "leaderKills must be a whole number >= 0: current value is -1"],
    [{ instances: 1.5 }, "instances must be a whole number >= 1: current value is 1.5"],
    [{ rate: 0 }, "rate must be above 0: current value is 0"],
    [{ poisonRate: 1.5 }, "poisonRate must be in [0, 1]: current value is 1.5"],
    [{ port: 65531 }, "its cluster needs ports up to port + 5: current port is 65531"],
  ];
  for (const [overrides, message] of cases) {
    assert.throws(() => chaosConfig(overrides), {
      name: "RangeError",
      message: `Cannot run the chaos soak as ${message}`,
    });
  }
});

Deno.test("productionMs() is how long the orders take at the rate", () => {
  assert.equal(productionMs({ orders: 100_000, rate: 500 }), 200_000);
  assert.equal(productionMs({ orders: 20_000, rate: 500 }), 40_000);
});
