import assert from "node:assert/strict";
import { statusLine, stoppedLine, USAGE } from "./cli.ts";
import { LAUNCHER_PERMISSIONS, runScript } from "../cli/subprocess.ts";

Deno.test("`stoppedLine()` says how long the stop took and whether it needed SIGKILL", () => {
  assert.equal(
    stoppedLine({ pid: 7, dataDir: "/d", version: "4.4.0", stoppedMs: 450, killed: false }),
    "Stopped Kafka 4.4.0 broker (pid 7) in 0.5 s",
  );
  assert.equal(
    stoppedLine({ pid: 7, dataDir: "/d", stoppedMs: 31_020, killed: true }),
    "Stopped broker (pid 7) in 31.0 s with SIGKILL",
  );
});

Deno.test("`statusLine()` tells our broker, a foreign one, a stuck one and none apart", () => {
  const bootstrap = "127.0.0.1:9092";
  const ours = { pid: 7, dataDir: "/d", version: "4.4.0" };
  assert.equal(
    statusLine({ bootstrap, answers: true, ...ours }),
    "Kafka 4.4.0 broker running at 127.0.0.1:9092 (pid 7, data /d)",
  );
  assert.equal(
    statusLine({ bootstrap, answers: true }),
    "broker running at 127.0.0.1:9092 (no pid file of ours)",
  );
  assert.equal(
    statusLine({ bootstrap, answers: false, ...ours }),
    "broker not answering at 127.0.0.1:9092 (pid 7, data /d: starting, or stuck?)",
  );
  assert.equal(statusLine({ bootstrap, answers: false }), "no broker running at 127.0.0.1:9092");
});

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
