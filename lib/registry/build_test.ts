import assert from "node:assert/strict";
import { join } from "node:path";
import { buildKey, buildPaths, buildRegistry } from "./build.ts";

Deno.test("buildPaths() keeps the private Maven repository and the app project under the cache", () => {
  const paths = buildPaths("/c");
  assert.equal(paths.m2, "/c/m2");
  assert.equal(paths.settings, "/c/settings.xml");
  assert.equal(paths.runnerJar, "/c/apicurio-3.0.9/target/apicurio-registry-local-1-runner.jar");
  assert.equal(paths.marker, "/c/apicurio-3.0.9/built.txt");
});

Deno.test("buildRegistry() finds a finished build in the cache and runs neither Java nor Maven", async () => {
  const cacheDir = await Deno.makeTempDir();
  const paths = buildPaths(cacheDir);
  await Deno.mkdir(join(paths.app, "target"), { recursive: true });
  await Deno.writeTextFile(paths.runnerJar, "");
  await Deno.writeTextFile(paths.marker, buildKey());
  const lines: string[] = [];
  const build = await buildRegistry({ cacheDir, log: (l) => lines.push(l) });
  assert.equal(build.cached, true);
  assert.equal(build.runnerJar, paths.runnerJar);
  assert.deepEqual(lines, []);
  await Deno.remove(cacheDir, { recursive: true });
});

Deno.test("buildKey() changes with the project, so a changed POM builds again", () => {
  assert.match(buildKey(), /apicurio-registry-app/);
  assert.match(buildKey(), /config_ordinal=275/);
});
