import assert from "node:assert/strict";
import { changedKafkajsSources, sha256 } from "./kafkajs_sources.ts";

Deno.test("sha256() is the SHA-256 of the file's bytes in hex", async () => {
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(path, "abc");
    assert.equal(
      await sha256(new URL(`file://${path}`)),
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("changedKafkajsSources() lists the kafkajs files whose hash differs, in order", async () => {
  const packageJson = "c8453acdf1944fccc07b0ff73cab22f462c120398338cb5663fe36392575d8a5";
  const cluster = "3831a6845e4e9fb0de73d5ff50a3695974fb8a927acde677c524fe1c362bd57d";
  assert.deepEqual(
    await changedKafkajsSources({ "package.json": packageJson, "src/cluster/index.js": cluster }),
    [],
  );
  assert.deepEqual(
    await changedKafkajsSources({
      "src/cluster/index.js": "0".repeat(64),
      "package.json": packageJson,
      "src/errors.js": packageJson,
    }),
    ["src/cluster/index.js", "src/errors.js"],
  );
});
