import assert from "node:assert/strict";
import { FatalError, PipelineError, UsageError } from "./errors.ts";

Deno.test("PipelineError is permanent unless it says retriable", () => {
  assert.equal(new PipelineError("x").retriable, false);
  assert.equal(new PipelineError("x", { retriable: true }).retriable, true);
  assert.equal(new PipelineError("x").errorType, undefined);
  assert.equal(new PipelineError("x", { errorType: "validation" }).errorType, "validation");
});

Deno.test("PipelineError keeps its cause, and its subclasses their names", () => {
  const cause = new Error("inner");
  const error = new FatalError("outer", { cause });
  assert.equal(error.cause, cause);
  assert.equal(error.name, "FatalError");
  assert.ok(error instanceof PipelineError);
  assert.equal(new UsageError("bad").name, "UsageError");
  assert.equal("cause" in new UsageError("bad"), false);
});
