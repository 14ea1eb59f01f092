import assert from "node:assert/strict";
import { readyLine, seconds, secureLines, statusLine, stoppedLine } from "./lines.ts";

Deno.test("`seconds()` shows milliseconds as seconds to a tenth", () => {
  assert.equal(seconds(0), "0.0 s");
  assert.equal(seconds(450), "0.5 s");
  assert.equal(seconds(31_020), "31.0 s");
});

Deno.test("`readyLine()` says the version, the address, the start time and the log", () => {
  assert.equal(
    readyLine({ version: "4.4.0", bootstrap: "127.0.0.1:9092", dataDir: "/d", startedMs: 4_210 }),
    "Kafka 4.4.0 broker ready at 127.0.0.1:9092 (started in 4.2 s, logs: /d/logs/server.log)",
  );
});

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

Deno.test("`secureLines()` names each secured listener, its port and its client file, never a secret", () => {
  const clientFiles = {
    scram: "/d/client-scram.properties",
    mtls: "/d/client-mtls.properties",
    plain: "/d/client-plain.properties",
    denied: "/d/client-denied.properties",
  };
  assert.deepEqual(
    secureLines({ ports: { saslSsl: 19102, ssl: 19103, saslPlaintext: 19104 }, clientFiles }),
    [
      "Secured listeners (client files are mode 0600; use them with --config, kcat -F or confluent-kafka):",
      "  SASL_SSL       127.0.0.1:19102  SCRAM-SHA-256/512  /d/client-scram.properties (user app)",
      "  SASL_SSL       127.0.0.1:19102  SCRAM-SHA-512      /d/client-denied.properties (user denied: no ACLs)",
      "  SSL (mTLS)     127.0.0.1:19103  client certificate /d/client-mtls.properties (CN=app)",
      "  SASL_PLAINTEXT 127.0.0.1:19104  PLAIN              /d/client-plain.properties (user app)",
      "ACLs: User:app may use topics orders* and groups order*; PLAINTEXT stays open (super user).",
    ],
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
