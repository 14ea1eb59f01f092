/**
 * The programs against a secured cluster, the launcher's `--secure` broker
 * (see `lib/testing/secure_broker.ts`): the whole pipeline over SASL_SSL with
 * SCRAM-SHA-512 and over mutual TLS, a smoke run over SASL_PLAINTEXT with
 * PLAIN and SCRAM-SHA-256, each failure's one line, exit code and time, and
 * last a check that no password or passphrase appears in anything a run
 * printed or the broker logged.
 *
 * @module
 */
import { ensureTopics } from "./lib/kafka/topics.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
} from "kafkajs";
import {
  groundTruth,
  INTEGRATION,
  jsonLines,
  runScript,
  testKafka,
  uniqueName,
} from "./lib/testing/harness.ts";
import { secureTestBroker } from "./lib/testing/secure_broker.ts";
import { hasCommand, needs } from "./lib/testing/tools.ts";

const REQUIRES = needs(
  { name: "openssl", available: hasCommand("openssl"), install: "apt-get install openssl" },
  {
    name: "java",
    available: hasCommand("java"),
    install: "apt-get install openjdk-17-jre-headless",
  },
);

const COUNT = 120;
const GENERATOR = { seed: 7, corruptRate: 0.05, invalidRate: 0.05 };
const SIMULATION = { failRate: 0.2, seed: 5, maxRetries: 1 };
/** The connect timeout the failure runs get, in seconds: each must end well within it. */
const CONNECT_TIMEOUT_S = 10;

/** Everything every run of this file printed, for the last test's check. */
const printed: string[] = [];

type Json = Record<string, unknown>;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs one of our programs, keeping what it printed. */
async function run(script: string, args: string[]): Promise<Run> {
  const began = performance.now();
  const result = await runScript(script, args);
  printed.push(result.stdout, result.stderr);
  return { ...result, ms: performance.now() - began };
}

/** Runs a program that must succeed and returns the last JSON summary it printed. */
async function summary(script: string, args: string[]): Promise<Json> {
  const result = await run(script, args);
  assert.equal(result.code, 0, `${script} ${args.join(" ")}:\n${result.stderr}`);
  return jsonLines(result.stdout).at(-1) as Json;
}

/**
 * The pipeline over the client file `config`: produce with poison pills,
 * consume with transient failures, stats, the DLQ monitor, a replay of the
 * processing failures and a clean re-run; every count and aggregate exact.
 */
async function pipeline(config: string): Promise<void> {
  const topic = uniqueName("orders-sec");
  const dlq = `${topic}-dlq`;
  const group = uniqueName("order-processors");
  const truth = groundTruth(COUNT, GENERATOR, SIMULATION);
  const dead = Object.values(truth.deadLetters).reduce((a, b) => a + b, 0);
  assert.ok(Object.values(truth.deadLetters).every((n) => n > 0), "every failure kind occurs");
  const connection = [`--config=${config}`];
  const topics = [`--topic=${topic}`, `--dlq-topic=${dlq}`];

  const produced = await summary("producer.ts", [
    ...connection,
    ...topics,
    `--count=${COUNT}`,
    `--seed=${GENERATOR.seed}`,
    `--corrupt-rate=${GENERATOR.corruptRate}`,
    `--invalid-rate=${GENERATOR.invalidRate}`,
    "--json",
  ]);
  assert.deepEqual([produced.produced, produced.sentToDlq, produced.unsent], [COUNT, 0, 0]);

  const consume = [...connection, ...topics, `--group=${group}`, "--idle-exit=2", "--json"];
  const consumed = await summary("consumer.ts", [
    ...consume,
    `--fail-rate=${SIMULATION.failRate}`,
    `--seed=${SIMULATION.seed}`,
    `--retries=${SIMULATION.maxRetries}`,
    "--backoff-ms=1",
  ]);
  assert.deepEqual(
    [consumed.consumed, consumed.sentToDlq, consumed.retries, consumed.aggregate],
    [COUNT, dead, truth.retries, truth.aggregate],
  );
  const stats = [...connection, `--topic=${topic}`, `--group=${group}`, "--json"];
  assert.deepEqual(await summary("stats.ts", stats), truth.aggregate);

  const monitor = await summary("dlq_consumer.ts", [
    ...connection,
    `--topic=${dlq}`,
    `--group=${uniqueName("orders-dlq-monitor")}`,
    "--from-beginning",
    "--idle-exit=2",
    "--json",
  ]);
  assert.deepEqual([monitor.total, monitor.byType], [dead, truth.deadLetters]);

  const replay = await summary("dlq_consumer.ts", [
    ...connection,
    "--replay",
    `--topic=${dlq}`,
    `--group=${group}-replayer`,
    "--json",
  ]);
  assert.deepEqual([replay.examined, replay.replayed, replay.byTarget], [
    dead,
    truth.deadLetters.processing,
    { [topic]: truth.deadLetters.processing },
  ]);
  // The replayed orders processed without failures: every valid order counted once.
  await summary("consumer.ts", consume);
  const allValid = groundTruth(COUNT, GENERATOR, { ...SIMULATION, failRate: 0 }).aggregate;
  assert.deepEqual(await summary("stats.ts", stats), allValid);
}

Deno.test({
  name: "the pipeline over SASL_SSL with SCRAM-SHA-512 counts every order and DLQ record exactly",
  ...INTEGRATION,
  ...REQUIRES,
  async fn() {
    await pipeline((await secureTestBroker()).clientFiles.scram);
  },
});

Deno.test({
  name: "the pipeline over mutual TLS with an encrypted client key counts every order exactly",
  ...INTEGRATION,
  ...REQUIRES,
  async fn() {
    await pipeline((await secureTestBroker()).clientFiles.mtls);
  },
});

Deno.test({
  name: "producer over SASL_PLAINTEXT with PLAIN and consumer over SCRAM-SHA-256 agree with stats",
  ...INTEGRATION,
  ...REQUIRES,
  async fn() {
    const { clientFiles } = await secureTestBroker();
    const topic = uniqueName("orders-smoke");
    const group = uniqueName("order-smoke");
    const produced = await summary("producer.ts", [
      `--config=${clientFiles.plain}`,
      `--topic=${topic}`,
      "--count=25",
      "--json",
    ]);
    assert.equal(produced.produced, 25);
    const scram256 = [`--config=${clientFiles.scram}`, "-X", "sasl.mechanism=SCRAM-SHA-256"];
    const consumed = await summary("consumer.ts", [
      ...scram256,
      `--topic=${topic}`,
      `--group=${group}`,
      "--idle-exit=2",
      "--json",
    ]);
    const truth = groundTruth(25, { seed: 42 }).aggregate;
    assert.deepEqual([consumed.consumed, consumed.aggregate], [25, truth]);
    assert.deepEqual(
      await summary("stats.ts", [...scram256, `--topic=${topic}`, `--group=${group}`, "--json"]),
      truth,
    );
  },
});

/** Runs `script` expecting exit 1 and exactly the line `error: <line>` on stderr, in time. */
async function fails(script: string, args: string[], line: string): Promise<Run> {
  const result = await run(script, [...args, `--connect-timeout=${CONNECT_TIMEOUT_S}`]);
  assert.equal(result.stderr, `error: ${line}\n`);
  assert.equal(result.code, 1);
  assert.ok(result.ms < CONNECT_TIMEOUT_S * 1000, `took ${result.ms} ms`);
  return result;
}

Deno.test({
  name: "a wrong password fails in one line naming the user and the mechanism",
  ...INTEGRATION,
  ...REQUIRES,
  async fn() {
    const { clientFiles, ports } = await secureTestBroker();
    const wrong = `wrong-${crypto.randomUUID()}`;
    const result = await fails(
      "producer.ts",
      [`--config=${clientFiles.scram}`, "-X", `sasl.password=${wrong}`, "--quiet"],
      `cannot log in to Kafka at 127.0.0.1:${ports.saslSsl} as user app (SCRAM-SHA-512): ` +
        "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512",
    );
    assert.ok(!result.stderr.includes(wrong));
    await fails(
      "stats.ts",
      [`--config=${clientFiles.plain}`, "-X", `sasl.password=${wrong}`, "--topic=orders"],
      `cannot log in to Kafka at 127.0.0.1:${ports.saslPlaintext} as user app (PLAIN): ` +
        "Authentication failed: Invalid username or password",
    );
  },
});

Deno.test({
  name:
    "a broker certificate from an unknown CA, or for another name, fails in one line saying which",
  ...INTEGRATION,
  ...REQUIRES,
  async fn() {
    const { clientFiles, ports } = await secureTestBroker();
    // The SCRAM file without ssl.ca.location: the broker's CA is not among the default CAs.
    const dir = await Deno.makeTempDir({ prefix: "secure_pipeline_test_" });
    try {
      const noCa = join(dir, "no-ca.properties");
      const text = await Deno.readTextFile(clientFiles.scram);
      await Deno.writeTextFile(noCa, text.replace(/^ssl\.ca\.location=.*$/m, ""), { mode: 0o600 });
      await fails(
        "producer.ts",
        [`--config=${noCa}`, "--quiet"],
        `TLS with Kafka at 127.0.0.1:${ports.saslSsl} failed: the broker's certificate is not signed by a CA we trust (the default CAs): set ssl.ca.location to the CA that signed it`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    // 127.1 is 127.0.0.1, but not a name the certificate holds.
    const elsewhere = ["-X", `bootstrap.servers=127.1:${ports.saslSsl}`];
    await fails(
      "producer.ts",
      [`--config=${clientFiles.scram}`, ...elsewhere, "--quiet"],
      `TLS with Kafka at 127.1:${ports.saslSsl} failed: the broker's certificate is not valid for the name 127.1 (it names DNS:localhost, IP Address:127.0.0.1): connect by a name it holds, or set ssl.endpoint.identification.algorithm=none to skip only the name check`,
    );
    // Skipping only the name check still verifies the CA, and then connects.
    const topic = uniqueName("orders-noname");
    const skipped = await summary("producer.ts", [
      `--config=${clientFiles.scram}`,
      ...elsewhere,
      "-X",
      "ssl.endpoint.identification.algorithm=none",
      `--topic=${topic}`,
      "--count=3",
      "--json",
    ]);
    assert.equal(skipped.produced, 3);
  },
});

Deno.test({
  name: "TLS against a plaintext port, and plaintext against a TLS port, fail in one line at once",
  ...INTEGRATION,
  ...REQUIRES,
  async fn() {
    const { clientFiles, ports } = await secureTestBroker();
    const tlsToPlain = await fails(
      "producer.ts",
      [`--config=${clientFiles.mtls}`, "-X", "bootstrap.servers=127.0.0.1:19100", "--quiet"],
      "TLS with Kafka at 127.0.0.1:19100 failed: the broker closed the connection during the TLS handshake, as a plaintext port does: check the port, or set security.protocol to plaintext or sasl_plaintext",
    );
    const plainToTls = await fails(
      "producer.ts",
      [`--brokers=127.0.0.1:${ports.ssl}`, "--quiet"],
      `Kafka at 127.0.0.1:${ports.ssl} answered with TLS but security.protocol is plaintext: set it to ssl or sasl_ssl (and ssl.ca.location)`,
    );
    // "At once": no waiting for kafkajs's retries.
    assert.ok(tlsToPlain.ms < 5000 && plainToTls.ms < 5000, `${tlsToPlain.ms}, ${plainToTls.ms}`);
    await fails(
      "producer.ts",
      [`--brokers=127.0.0.1:${ports.saslPlaintext}`, "--quiet"],
      `Kafka at 127.0.0.1:${ports.saslPlaintext} closed the connection on our first request, as a listener that expects SASL does: set security.protocol to sasl_plaintext or sasl_ssl, with sasl.mechanism, sasl.username and sasl.password`,
    );
  },
});

/** Admin work as the PLAINTEXT listener's super user, then disconnect. */
async function asSuperUser<T>(
  work: (admin: ReturnType<ReturnType<typeof testKafka>["admin"]>) => Promise<T>,
): Promise<T> {
  const admin = testKafka([(await secureTestBroker()).bootstrap]).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

Deno.test({
  name: "a user without permissions is refused a topic in one line, and nothing is created",
  ...INTEGRATION,
  ...REQUIRES,
  async fn() {
    const { clientFiles } = await secureTestBroker();
    const topic = uniqueName("orders-denied");
    await fails(
      "producer.ts",
      [`--config=${clientFiles.denied}`, `--topic=${topic}`, "--quiet"],
      `not authorized: user denied (SCRAM-SHA-512) may not Create topic ${topic}, orders-dlq`,
    );
    const topics = await asSuperUser((admin) => admin.listTopics());
    assert.equal(topics.includes(topic), false);
  },
});

Deno.test({
  name: "a group outside the application's ACLs is refused in one line, and nothing is committed",
  ...INTEGRATION,
  ...REQUIRES,
  async fn() {
    const { clientFiles } = await secureTestBroker();
    const topic = uniqueName("orders-group");
    const group = uniqueName("other-group");
    const scram = `--config=${clientFiles.scram}`;
    await summary("producer.ts", [scram, `--topic=${topic}`, "--count=5", "--json"]);
    await fails(
      "consumer.ts",
      [scram, `--topic=${topic}`, `--group=${group}`, "--idle-exit=2", "--quiet"],
      `not authorized: user app (SCRAM-SHA-512) may not Read group ${group}`,
    );
    await fails(
      "stats.ts",
      [scram, `--topic=${topic}`, `--group=${group}`],
      `not authorized: user app (SCRAM-SHA-512) may not Describe group ${group}`,
    );
    const [committed] = await asSuperUser((admin) =>
      admin.fetchOffsets({ groupId: group, topics: [topic] })
    );
    assert.deepEqual(committed.partitions.map((p) => p.offset), ["-1", "-1", "-1"]);
  },
});

Deno.test({
  name:
    "a user who may only read a topic is refused the cluster's producer id, and nothing is produced",
  ...INTEGRATION,
  ...REQUIRES,
  async fn() {
    const { clientFiles } = await secureTestBroker();
    const topic = uniqueName("orders-readonly");
    // Describe and Read on this run's topics only: the denied user may see them, not write.
    const acl = (operation: AclOperationTypes) => ({
      resourceType: AclResourceTypes.TOPIC,
      resourceName: topic,
      resourcePatternType: ResourcePatternTypes.PREFIXED,
      principal: "User:denied",
      host: "*",
      operation,
      permissionType: AclPermissionTypes.ALLOW,
    });
    const acls = [acl(AclOperationTypes.DESCRIBE), acl(AclOperationTypes.READ)];
    await asSuperUser(async (admin) => {
      await ensureTopics(admin, [{ topic, partitions: 3 }, {
        topic: `${topic}-dlq`,
        partitions: 3,
      }]);
      await admin.createAcls({ acl: acls });
    });
    try {
      await fails(
        "producer.ts",
        [
          `--config=${clientFiles.denied}`,
          `--topic=${topic}`,
          `--dlq-topic=${topic}-dlq`,
          "--quiet",
        ],
        "not authorized: user denied (SCRAM-SHA-512) may not IdempotentWrite the cluster (it has Write on no topic)",
      );
      const offsets = await asSuperUser((admin) => admin.fetchTopicOffsets(topic));
      assert.deepEqual(offsets.map((o) => o.high), ["0", "0", "0"]);
    } finally {
      await asSuperUser((admin) => admin.deleteAcls({ filters: acls }));
    }
  },
});

Deno.test({
  name: "no password or key passphrase appears in anything the runs printed or the broker logged",
  ...INTEGRATION,
  ...REQUIRES,
  async fn() {
    const { secrets, logs } = await secureTestBroker();
    assert.equal(
      secrets.length,
      3,
      "the app's and the denied user's passwords and the key's passphrase",
    );
    assert.ok(printed.length > 0, "the runs above printed something");
    const texts = [...printed];
    for (const log of logs) texts.push(await Deno.readTextFile(log));
    assert.ok(texts.join("").includes("SCRAM-SHA-512"), "the texts are the real ones");
    for (const secret of secrets) {
      for (const text of texts) assert.ok(!text.includes(secret), "a secret leaked");
    }
  },
});
