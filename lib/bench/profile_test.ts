import assert from "node:assert/strict";
import {
  type CpuProfile,
  frameName,
  ownerOf,
  profileSummary,
  selfTimeByOwner,
  topSelfTime,
} from "./profile.ts";

const NPM = "file:///root/.cache/deno/npm/registry.npmjs.org";

/** root → produce → encode, with samples of 1 ms each. */
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1 } },
    { id: 2, callFrame: { functionName: "(idle)", url: "", lineNumber: -1 } },
    {
      id: 3,
      callFrame: { functionName: "produceOrders", url: "file:///app/producer.ts", lineNumber: 211 },
    },
    {
      id: 4,
      callFrame: {
        functionName: "writeUVarInt",
        url: `${NPM}/kafkajs/2.2.4/src/protocol/encoder.js`,
        lineNumber: 365,
      },
    },
    {
      id: 5,
      callFrame: {
        functionName: "FastBuffer",
        url: "ext:deno_node/internal/buffer.mjs",
        lineNumber: 0,
      },
    },
    { id: 6, callFrame: { functionName: "op_now", url: "", lineNumber: -1 } },
    // The same function at the same place, reached through another path.
    {
      id: 7,
      callFrame: {
        functionName: "writeUVarInt",
        url: `${NPM}/kafkajs/2.2.4/src/protocol/encoder.js`,
        lineNumber: 365,
      },
    },
  ],
  startTime: 0,
  endTime: 10_000,
  samples: [4, 4, 7, 5, 5, 3, 2, 6, 4, 2],
  timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

Deno.test("`topSelfTime()` adds up samples per function, largest first", () => {
  assert.deepEqual(topSelfTime(PROFILE, { limit: 3 }), [
    { fn: "writeUVarInt (kafkajs/src/protocol/encoder.js:366)", selfMs: 4, share: 0.4 },
    { fn: "FastBuffer (buffer.mjs:1)", selfMs: 2, share: 0.2 },
    { fn: "(idle)", selfMs: 2, share: 0.2 },
  ]);
});

Deno.test("`topSelfTime()` leaves out idle and GC frames when asked", () => {
  const fns = topSelfTime(PROFILE, { excludeIdle: true }).map((e) => e.fn);
  assert.equal(fns.includes("(idle)"), false);
  assert.deepEqual(fns, [
    "writeUVarInt (kafkajs/src/protocol/encoder.js:366)",
    "FastBuffer (buffer.mjs:1)",
    "produceOrders (producer.ts:212)",
    "op_now",
  ]);
});

Deno.test("`frameName()` shortens npm and project paths and numbers lines from 1", () => {
  assert.equal(
    frameName({ functionName: "", url: "file:///work/main/lib/avro.ts", lineNumber: 68 }),
    "(anonymous) (lib/avro.ts:69)",
  );
  assert.equal(frameName({ functionName: "op_now", url: "", lineNumber: -1 }), "op_now");
});

Deno.test("`selfTimeByOwner()` groups self time by package, project and runtime", () => {
  assert.deepEqual(
    selfTimeByOwner(PROFILE).map((e) => [e.owner, e.selfMs]),
    [["kafkajs", 4], ["node compat", 2], ["(idle)", 2], ["ours", 1], ["deno runtime", 1]],
  );
});

Deno.test("`ownerOf()` names npm packages, our files, node compat and the runtime", () => {
  assert.equal(ownerOf({ functionName: "f", url: `${NPM}/avsc/5.7.9/lib/types.js` }), "avsc");
  assert.equal(ownerOf({ functionName: "f", url: "file:///work/main/consumer.ts" }), "ours");
  assert.equal(ownerOf({ functionName: "f", url: "node:buffer" }), "node compat");
  assert.equal(ownerOf({ functionName: "op_now", url: "" }), "deno runtime");
  assert.equal(ownerOf({ functionName: "(garbage collector)", url: "" }), "(garbage collector)");
});

Deno.test("`profileSummary()` prints the length, self time by owner and the top functions", () => {
  assert.equal(
    profileSummary({ ...PROFILE, endTime: 2_500_000 }, "run.cpuprofile", 2),
    [
      "run.cpuprofile: 2.5 s profiled",
      "",
      "| owner of the code | self ms | share |",
      "| ----------------- | ------: | ----: |",
      "| (idle)            |    2492 | 99.7% |",
      "| kafkajs           |       4 |  0.2% |",
      "| node compat       |       2 |  0.1% |",
      "| ours              |       1 |  0.0% |",
      "| deno runtime      |       1 |  0.0% |",
      "",
      "| function (file:line)                               | self ms | share |",
      "| -------------------------------------------------- | ------: | ----: |",
      "| (idle)                                             |    2492 | 99.7% |",
      "| writeUVarInt (kafkajs/src/protocol/encoder.js:366) |       4 |  0.2% |",
    ].join("\n"),
  );
});
