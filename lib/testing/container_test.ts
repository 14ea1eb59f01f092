import assert from "node:assert/strict";
import {
  containerEnvironment,
  SESSION_LABEL,
  testcontainersImage,
  WATCHDOG_SCRIPT,
} from "./container.ts";
import { dockerImagePresent, needs } from "./tools.ts";
import { waitFor } from "./harness.ts";

Deno.test("`containerEnvironment()` gives a container the launcher's single-node settings", () => {
  assert.deepEqual(containerEnvironment(), {
    KAFKA_NUM_PARTITIONS: "3",
    KAFKA_AUTO_CREATE_TOPICS_ENABLE: "false",
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: "1",
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: "1",
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: "1",
    KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: "1",
    KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS: "1",
    KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: "1",
    KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: "1",
    KAFKA_SHARE_COORDINATOR_STATE_TOPIC_NUM_PARTITIONS: "1",
    KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: "0",
  });
});

Deno.test("the watchdog removes its session's containers once its stdin closes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "watchdog_test_" });
  try {
    // A stand-in for docker that logs its arguments and lists two containers.
    await Deno.writeTextFile(
      `${dir}/docker`,
      '#!/bin/sh\necho "$*" >>"$LOG"\n[ "$1" != ps ] || printf "c1\\nc2\\n"\n',
      { mode: 0o755 },
    );
    const watchdog = new Deno.Command("sh", {
      args: ["-c", WATCHDOG_SCRIPT, "s-1"],
      env: { PATH: `${dir}:${Deno.env.get("PATH")}`, LOG: `${dir}/log` },
      stdin: "piped",
    }).spawn();
    await watchdog.stdin.close();
    assert.equal((await watchdog.status).code, 0);
    assert.equal(
      await Deno.readTextFile(`${dir}/log`),
      `ps -aq --filter label=${SESSION_LABEL}=s-1\nrm -f -v c1 c2\n`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// The fixture's harness starts a container of this image: it must be here,
// since a machine without a registry cannot pull it.
const DOCKER = {
  name: `a Docker engine holding ${testcontainersImage()}`,
  available: dockerImagePresent(testcontainersImage()),
  install: "apt-get install -y docker.io, start dockerd, build the image (deno task image) " +
    "and set KAFKA_TC_IMAGE to its cp-kafka name, or docker pull the default image",
};

/** A `deno test` of the fixture, without `KAFKA_BROKERS`, so that its harness starts a container. */
function spawnFixture(outcome: "pass" | "fail" | "interrupt") {
  const env = Deno.env.toObject();
  delete env.KAFKA_BROKERS;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "test",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-write",
      "--allow-run",
      "--allow-sys",
      new URL("./_container_fixture.ts", import.meta.url).pathname,
    ],
    clearEnv: true,
    env: { ...env, NO_COLOR: "1", FIXTURE_OUTCOME: outcome },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
  };
  const pumped = Promise.all([pump(child.stdout), pump(child.stderr)]);
  return {
    child,
    output: () => output,
    /** The container's short id, once the harness has said it. */
    containerId: () => /Kafka in container ([0-9a-f]{12}) /.exec(output)?.[1],
    done: pumped.then(() => child.status),
  };
}

/** The ids of the containers `docker ps -a` lists with id `id`. */
async function containersWithId(id: string): Promise<string> {
  const ps = await new Deno.Command("docker", {
    args: ["ps", "-a", "-q", "--filter", `id=${id}`],
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(ps.stdout).trim();
}

Deno.test({
  name: "the harness removes its container when the tests pass",
  ...needs(DOCKER),
  sanitizeResources: false,
  async fn() {
    const fixture = spawnFixture("pass");
    const status = await fixture.done;
    assert.equal(status.code, 0, fixture.output());
    const id = fixture.containerId();
    assert.ok(id, fixture.output());
    assert.equal(await containersWithId(id), "");
  },
});

Deno.test({
  name: "the harness removes its container when a test fails",
  ...needs(DOCKER),
  sanitizeResources: false,
  async fn() {
    const fixture = spawnFixture("fail");
    const status = await fixture.done;
    assert.equal(status.code, 1, fixture.output());
    assert.match(fixture.output(), /failing on purpose/);
    const id = fixture.containerId();
    assert.ok(id, fixture.output());
    assert.equal(await containersWithId(id), "");
  },
});

Deno.test({
  name: "the harness publishes on 127.0.0.1 only and removes its container after Ctrl-C",
  ...needs(DOCKER),
  sanitizeResources: false,
  async fn() {
    const fixture = spawnFixture("interrupt");
    try {
      await waitFor(() => fixture.output().includes("waiting for SIGINT"), {
        timeoutMs: 180_000,
        message: "the fixture's container to start",
      });
    } catch (error) {
      fixture.child.kill("SIGKILL");
      await fixture.done;
      throw new Error(`${(error as Error).message}\n${fixture.output()}`);
    }
    const id = fixture.containerId()!;
    const inspect = await new Deno.Command("docker", {
      args: ["inspect", "--format", "{{json .NetworkSettings.Ports}}", id],
      stdout: "piped",
    }).output();
    const ports: Record<string, { HostIp: string; HostPort: string }[]> = JSON.parse(
      new TextDecoder().decode(inspect.stdout),
    );
    assert.deepEqual(Object.keys(ports), ["9093/tcp"]);
    assert.deepEqual(ports["9093/tcp"].map((binding) => binding.HostIp), ["127.0.0.1"]);

    fixture.child.kill("SIGINT");
    assert.equal((await fixture.done).code, 130, fixture.output());
    // The watchdog removes it once the process is gone; `docker rm -f` takes a moment.
    await waitFor(async () => (await containersWithId(id)) === "", {
      timeoutMs: 30_000,
      message: `container ${id} to be removed`,
    });
  },
});
