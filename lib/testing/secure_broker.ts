/**
 * The secured broker of the integration tests: one per `deno test` process,
 * started on first use by the project's launcher with `--secure` on its own
 * ports (PLAINTEXT 19100, controller 19101, SASL_SSL 19102, SSL 19103,
 * SASL_PLAINTEXT 19104) in a fresh data directory, and stopped when the
 * process exits. It needs Java 17+ and openssl; its jars come from the same
 * cache as every other broker's. It starts in about 5 s.
 *
 * @module
 */
import { join } from "node:path";
import { startBroker } from "../broker/launch.ts";
import { DATA_ROOT, dataDirFiles } from "../broker/data_dir.ts";
import { brokerAnswers } from "../broker/probe.ts";
import type { ClientFile, SecurePorts } from "../broker/secure.ts";
import { parseProperties } from "../kafka/properties.ts";

/** The secured broker's PLAINTEXT port; the secured listeners take the next four. */
export const SECURE_TEST_PORT = 19100;

/** A running secured broker and what tests need of it. */
export interface SecureTestBroker {
  /** The PLAINTEXT address, where the tests themselves are a super user (set-up, read-back). */
  bootstrap: string;
  ports: SecurePorts;
  /** The client files, as `--config` takes them. */
  clientFiles: Record<ClientFile, string>;
  /** Every password and passphrase in the client files, for checks that none leaks. */
  secrets: string[];
  /** The broker's logs: `server.log` and the JVM's own output. */
  logs: string[];
}

let started: Promise<SecureTestBroker> | undefined;

/**
 * The secured broker, started on first call. Fails with one line when a
 * broker already answers on its port, or Java or openssl is missing.
 */
export function secureTestBroker(): Promise<SecureTestBroker> {
  started ??= start();
  return started;
}

async function start(): Promise<SecureTestBroker> {
  const bootstrap = `127.0.0.1:${SECURE_TEST_PORT}`;
  if (await brokerAnswers(bootstrap)) {
    throw new Error(
      `a broker already answers at ${bootstrap}, the secured test broker's port: stop it first`,
    );
  }
  // Fresh every run: new secrets, no topics or ACLs of an earlier run.
  const dataDir = join(DATA_ROOT, `test-secure-${SECURE_TEST_PORT}`);
  await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  const broker = await startBroker({ port: SECURE_TEST_PORT, dataDir, secure: true });
  globalThis.addEventListener("unload", () => {
    try {
      Deno.kill(broker.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  });
  const { ports, clientFiles } = broker.secure!;
  const files = dataDirFiles(dataDir);
  return {
    bootstrap: broker.bootstrap,
    ports,
    clientFiles,
    secrets: await clientSecrets(clientFiles),
    logs: [files.serverLog, files.jvmOut],
  };
}

/** The keys of a client file whose values are secret. */
const SECRET_KEYS = ["sasl.password", "ssl.key.password"];

/**
 * Every secret value in the client files at `files`, each once.
 *
 * @example
 * ```ts ignore
 * import { clientSecrets } from "./secure_broker.ts";
 * await clientSecrets({ scram: "/d/client-scram.properties" }); // ["<app's password>"]
 * ```
 */
export async function clientSecrets(files: Partial<Record<ClientFile, string>>): Promise<string[]> {
  const secrets = new Set<string>();
  for (const path of Object.values(files)) {
    const props = parseProperties(await Deno.readTextFile(path), path);
    for (const key of SECRET_KEYS) {
      const value = props.get(key)?.value;
      if (value) secrets.add(value);
    }
  }
  return [...secrets];
}
