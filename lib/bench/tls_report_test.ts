import assert from "node:assert/strict";
import { listenerPair } from "./tls_report.ts";

Deno.test("listenerPair() takes each listener's median and their ratio, keeping every run", () => {
  assert.deepEqual(listenerPair([100, 120, 110], [80, 90, 88]), {
    plaintext: 110,
    tls: 88,
    ratio: 0.8,
    runs: { plaintext: [100, 120, 110], tls: [80, 90, 88] },
  });
});
