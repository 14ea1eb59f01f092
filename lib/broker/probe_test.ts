import assert from "node:assert/strict";
import { brokerAnswers } from "./probe.ts";
import { freePorts } from "../testing/ports.ts";

Deno.test("`brokerAnswers()` returns false within its bound when nothing listens", async () => {
  const begin = Date.now();
  const [port] = freePorts(1);
  assert.equal(await brokerAnswers(`127.0.0.1:${port}`, 1000), false);
  assert.ok(Date.now() - begin < 1500, `took ${Date.now() - begin} ms`);
});
