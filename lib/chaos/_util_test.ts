import assert from "node:assert/strict";
import { readLines, sleep } from "./_util.ts";

/** A stream that hands over `chunks` as they are. */
function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

Deno.test("readLines() joins lines split across chunks and keeps a last line without a newline", async () => {
  const lines: string[] = [];
  await readLines(
    streamOf(['{"event":"pro', 'cessed"}\nsecond\n', "\nlast"]),
    (l) => lines.push(l),
  );
  assert.deepEqual(lines, ['{"event":"processed"}', "second", "", "last"]);
});

Deno.test("sleep() takes a negative wait as none", async () => {
  const begin = Date.now();
  await sleep(-5000);
  assert.ok(Date.now() - begin < 1000);
});
