import assert from "node:assert/strict";
import { USAGE } from "./cli.ts";
import { LAUNCHER_PERMISSIONS, runScript } from "../cli/subprocess.ts";

Deno.test("`main()` exits 2 with the usage text on a bad flag, and 0 on --help", async () => {
  const bad = await runScript(
    "lib/broker/cli.ts",
    ["--detach", "--stop"],
    {},
    LAUNCHER_PERMISSIONS,
  );
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, `error: --detach and --stop cannot be combined\n\n${USAGE}\n`);
  const help = await runScript("lib/broker/cli.ts", ["--help"], {}, LAUNCHER_PERMISSIONS);
  assert.equal(help.code, 0);
  assert.equal(help.stdout, `${USAGE}\n`);
});
