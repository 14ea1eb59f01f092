import assert from "node:assert/strict";
import type { FuzzInput } from "./corpus.ts";
import {
  compareAll,
  describeVerdict,
  formatReport,
  ourVerdict,
  sameVerdict,
  toHex,
} from "./differential.ts";
import type { Verdict } from "./reference.ts";

const AB_ONE = Uint8Array.from([0x02, 0x41, 0x02, 0x42, 0x00, 0x00, 0x80, 0x3f]);
const accept = (price: number, orderId = "A"): Verdict => ({
  ok: true,
  order: { orderId, product: "B", price },
});
const refuse: Verdict = { ok: false, reason: "EOFError: " };

Deno.test("ourVerdict() accepts an order and refuses with the decoder's reason", () => {
  assert.deepEqual(ourVerdict(AB_ONE), accept(1));
  assert.deepEqual(ourVerdict(AB_ONE.subarray(0, 7)), {
    ok: false,
    reason: "truncated: price needs 4 bytes, 3 left",
  });
});

Deno.test("sameVerdict() holds NaN equal to NaN and -0 apart from 0", () => {
  assert.ok(sameVerdict(accept(NaN), accept(NaN)));
  assert.ok(!sameVerdict(accept(-0), accept(0)));
  assert.ok(!sameVerdict(accept(1), accept(1, "a")));
  assert.ok(sameVerdict(refuse, { ok: false, reason: "another reason" }));
  assert.ok(!sameVerdict(refuse, accept(1)));
  assert.ok(!sameVerdict({ ok: false, reason: "crash: TypeError", crash: true }, refuse));
});

Deno.test("compareAll() counts verdicts by kind and lists each disagreement", () => {
  const inputs: FuzzInput[] = [
    { kind: "valid", bytes: AB_ONE },
    { kind: "truncate", bytes: AB_ONE.subarray(0, 3) },
    { kind: "extend", bytes: Uint8Array.from([...AB_ONE, 0]) },
    { kind: "valid", bytes: AB_ONE },
  ];
  const report = compareAll(inputs, [
    accept(1),
    refuse,
    { ok: false, reason: "strict: 1 trailing bytes", strictOnly: true },
    accept(2),
  ]);
  assert.deepEqual(report, {
    tried: 4,
    accepted: 2,
    rejected: 2,
    strictOnly: 1,
    overlongVarints: 0,
    byKind: {
      valid: { tried: 2, accepted: 2 },
      truncate: { tried: 1, accepted: 0 },
      extend: { tried: 1, accepted: 0 },
    },
    disagreements: [{ kind: "valid", hex: toHex(AB_ONE), ours: accept(1), reference: accept(2) }],
  });
  assert.throws(() => compareAll(inputs, []), RangeError);
});

Deno.test("formatReport() prints the counts, the time and each disagreement with escapes", () => {
  const report = compareAll([{ kind: "valid", bytes: AB_ONE }], [accept(-0, "\uFEFFA")]);
  assert.deepEqual(formatReport(report, 1234), [
    "inputs tried:   1",
    "accepted:       1",
    "rejected:       0 (of which fastavro alone would accept 0: 0 with trailing bytes, 0 with a varint over 10 bytes)",
    "by kind:        valid 1 (1 accepted)",
    "disagreements:  1",
    "time:           1.2 s",
    "DISAGREEMENT (valid) 024102420000803f",
    '  ours:     accepts {"orderId":"A","product":"B"}, price 1',
    '  fastavro: accepts {"orderId":"\\ufeffA","product":"B"}, price -0',
  ]);
  assert.equal(describeVerdict(refuse), "refuses: EOFError: ");
});
