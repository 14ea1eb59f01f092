import assert from "node:assert/strict";
import { parseChaosArgs, USAGE } from "./chaos.ts";
import { LAUNCHER_PERMISSIONS, runScript } from "./lib/cli/subprocess.ts";
import { CHAOS_DEFAULTS } from "./lib/chaos/options.ts";

Deno.test("parseChaosArgs() is the full soak by default and the short one with --short", () => {
  assert.deepEqual(parseChaosArgs([]), CHAOS_DEFAULTS);
  const short = parseChaosArgs(["--short", "--consumer-kills=5", "--port=39230", "--data-dir=/d"]);
  assert.ok(short !== "help");
  assert.deepEqual(
    [
      short.orders,
      short.leaderKills,
      short.rollingRestart,
      short.consumerKills,
      short.port,
      short.dataDir,
    ],
    [20_000, 1, false, 5, 39230, "/d"],
  );
  const full = parseChaosArgs(["--no-rolling-restart", "--down=2.5", "--keep"]);
  assert.ok(full !== "help");
  assert.deepEqual([full.rollingRestart, full.downMs, full.keep], [false, 2500, true]);
});

Deno.test("parseChaosArgs() names the bad flag and its value", () => {
  assert.throws(() => parseChaosArgs(["--rate=0"]), {
    name: "UsageError",
    message: "--rate must be in [1, 100000]: current value is 0",
  });
  assert.throws(() => parseChaosArgs(["--port=65531"]), {
    name: "UsageError",
    message: "--port must be in [1, 65530]: current value is 65531",
  });
});

Deno.test("chaos.ts exits 2 with the usage text on a bad flag, and 0 on --help", async () => {
  const bad = await runScript("chaos.ts", ["--leader-kills=-1"], {}, LAUNCHER_PERMISSIONS);
  assert.equal(bad.code, 2);
  assert.equal(
    bad.stderr,
    `error: --leader-kills must be in [0, 100]: current value is -1\n\n${USAGE}\n`,
  );
  const help = await runScript("chaos.ts", ["--help"], {}, LAUNCHER_PERMISSIONS);
  assert.equal(help.code, 0);
  assert.equal(help.stdout, `${USAGE}\n`);
});
