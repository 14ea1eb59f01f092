import assert from "node:assert/strict";
import { parseBrokerArgs } from "./flags.ts";
import { defaultClusterDir, defaultDataDir } from "./data_dir.ts";

Deno.test("`parseBrokerArgs()` starts in the foreground on 9092 by default", () => {
  assert.deepEqual(parseBrokerArgs([]), {
    mode: "start",
    port: 9092,
    controllerPort: 9093,
    timeoutMs: 90_000,
    secure: false,
    kafkaVersion: undefined,
    dataDir: undefined,
  });
});

Deno.test("`parseBrokerArgs()` reads every flag", () => {
  assert.deepEqual(
    parseBrokerArgs([
      "--",
      "--detach",
      "--port",
      "19092",
      "--controller-port",
      "29093",
      "--timeout",
      "2.5",
      "--kafka-version",
      "3.9.1",
      "--data-dir",
      "/d",
      "--secure",
    ]),
    {
      mode: "detach",
      port: 19092,
      controllerPort: 29093,
      timeoutMs: 2500,
      secure: true,
      kafkaVersion: "3.9.1",
      dataDir: "/d",
    },
  );
});

Deno.test("`parseBrokerArgs()` keys the data dir by --kafka-version when it is given", () => {
  assert.equal(
    parseBrokerArgs(["--stop", "--port", "19092", "--kafka-version", "3.9.1"]).dataDir,
    defaultDataDir("3.9.1", 19092),
  );
  assert.equal(parseBrokerArgs(["--status", "--port", "19092"]).dataDir, undefined);
});

Deno.test("`parseBrokerArgs()` refuses --secure where it cannot start a broker or has no ports", () => {
  const cases: [string[], string][] = [
    [["--secure", "--stop"], "--secure starts a broker: it cannot be combined with --stop"],
    [["--secure", "--status"], "--secure starts a broker: it cannot be combined with --status"],
    [
      ["--secure", "--port", "65532"],
      "--secure needs ports up to --port + 4: current --port is 65532",
    ],
    [
      ["--secure", "--port", "19100", "--controller-port", "19103"],
      "--secure takes ports 19102 to 19104 for its listeners: --controller-port is 19103",
    ],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseBrokerArgs(args), { name: "UsageError", message });
  }
});

Deno.test("`parseBrokerArgs()` lets --help win over every other flag", () => {
  assert.equal(parseBrokerArgs(["--port", "0", "--stop", "--detach", "--help"]).mode, "help");
});

Deno.test("`parseBrokerArgs()` names the bad flag and its value", () => {
  const cases: [string[], string][] = [
    [["--detach", "--stop", "--status"], "--detach and --stop and --status cannot be combined"],
    [["--port", "65535"], "--port must be in [1, 65534]: current value is 65535"],
    [
      ["--port", "19092", "--controller-port", "19092"],
      "--controller-port must differ from --port: both are 19092",
    ],
    [["--timeout", "0"], "--timeout must be >= 1: current value is 0"],
    [
      ["--kafka-version", "3.8.1"],
      "--kafka-version: Kafka version must be 3.9.0 or newer: current value is 3.8.1",
    ],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseBrokerArgs(args), { name: "UsageError", message }, args.join(" "));
  }
});

Deno.test("`parseBrokerArgs()` reads a cluster's --nodes and puts its controllers after it", () => {
  assert.deepEqual(parseBrokerArgs(["--nodes", "3", "--detach", "--port", "39200"]), {
    mode: "detach",
    port: 39200,
    controllerPort: 39203,
    timeoutMs: 90_000,
    secure: false,
    kafkaVersion: undefined,
    dataDir: undefined,
    nodes: 3,
  });
  // One node is the single broker, as without the flag.
  assert.equal("nodes" in parseBrokerArgs(["--nodes", "1"]), false);
  assert.equal(
    parseBrokerArgs(["--nodes", "3", "--port", "39200", "--kafka-version", "3.9.1"]).dataDir,
    defaultClusterDir("3.9.1", 39200),
  );
});

Deno.test("`parseBrokerArgs()` reads --node with --kill, --stop, --status and --detach", () => {
  for (const mode of ["kill", "stop", "status", "detach"] as const) {
    const command = parseBrokerArgs(["--node", "2", `--${mode}`, "--port", "39200"]);
    assert.deepEqual([command.mode, command.node, command.nodes], [mode, 2, undefined]);
  }
});

Deno.test("`parseBrokerArgs()` refuses cluster flags that do not fit together", () => {
  const cases: [string[], string][] = [
    [["--nodes", "0"], "--nodes must be in [1, 9]: current value is 0"],
    [["--nodes", "10"], "--nodes must be in [1, 9]: current value is 10"],
    [
      ["--node", "4", "--nodes", "3", "--stop"],
      "--node must be in [1, 3] for --nodes 3: current value is 4",
    ],
    [["--kill"], "--kill SIGKILLs one node of a cluster: give --node N"],
    [["--node", "2"], "--node N starts one node of a running cluster: add --detach"],
    [["--kill", "--stop", "--node", "1"], "--stop and --kill cannot be combined"],
    [
      ["--nodes", "3", "--secure"],
      "--secure serves a single broker: a cluster (--nodes, --node) is plaintext only",
    ],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseBrokerArgs(args), { name: "UsageError", message }, args.join(" "));
  }
});
