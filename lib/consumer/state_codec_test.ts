import assert from "node:assert/strict";
import { addCents, type Aggregate, emptyAggregate } from "../order/aggregate.ts";
import { decodeState, encodeState, StateMismatchError } from "./state_codec.ts";

function aggregateOf(cents: number[]): Aggregate {
  const agg = emptyAggregate();
  for (const c of cents) addCents(agg, c);
  return agg;
}

Deno.test("encodeState() and decodeState() round-trip a state", () => {
  for (const agg of [emptyAggregate(), aggregateOf([79999, 2999, 1])]) {
    const state = { next: "1234", agg };
    assert.deepEqual(decodeState(encodeState(state), "1234"), state);
  }
});

Deno.test("decodeState() throws StateMismatchError for metadata that is not our state", () => {
  const cases: [string | null, string][] = [
    [
      null,
      "offset 5 was committed without aggregate state (a seek, an offset reset or another tool)",
    ],
    [
      "",
      "offset 5 was committed without aggregate state (a seek, an offset reset or another tool)",
    ],
    ["not json", 'offset 5 carries metadata that is not aggregate state: "not json"'],
    ['{"foo":1}', 'offset 5 carries metadata that is not aggregate state: "{\\"foo\\":1}"'],
    ["null", 'offset 5 carries metadata that is not aggregate state: "null"'],
  ];
  for (const [metadata, message] of cases) {
    assert.throws(() => decodeState(metadata, "5"), { name: "StateMismatchError", message });
  }
  const good = JSON.parse(encodeState({ next: "5", agg: aggregateOf([100]) }));
  for (
    const broken of [{ c: -1 }, { c: 1.5 }, { s: "100" }, { mn: 1.5 }, { v: "agg2" }, { next: 5 }]
  ) {
    assert.throws(
      () => decodeState(JSON.stringify({ ...good, ...broken }), "5"),
      StateMismatchError,
    );
  }
});

Deno.test("decodeState() throws StateMismatchError when written for another offset", () => {
  const metadata = encodeState({ next: "10", agg: aggregateOf([100]) });
  assert.throws(() => decodeState(metadata, "12"), {
    name: "StateMismatchError",
    message: "aggregate state was written for offset 10 but the committed offset is 12",
  });
});

Deno.test("encodeState() stays well under the broker's 4096-byte metadata limit", () => {
  const big = {
    next: String(2n ** 63n - 1n),
    agg: {
      count: Number.MAX_SAFE_INTEGER,
      sumCents: -Number.MAX_SAFE_INTEGER,
      minCents: -Number.MAX_SAFE_INTEGER,
      maxCents: Number.MAX_SAFE_INTEGER,
    },
  };
  const metadata = encodeState(big);
  assert.ok(new TextEncoder().encode(metadata).length < 256, `${metadata.length} bytes`);
  assert.deepEqual(decodeState(metadata, big.next), big);
});
