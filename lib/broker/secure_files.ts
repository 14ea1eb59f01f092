/**
 * The files and steps of `--secure`: the secrets (made once per data
 * directory and kept only in its client files, mode 0600), the certificates
 * (`tls/`), the client files rewritten on every start, and the ACLs, created
 * once the broker answers. ACLs are created through kafkajs's admin API over
 * the PLAINTEXT listener (a super user there): `kafka-acls` lives in
 * `kafka-tools`, which the launcher does not resolve, and a JVM would take
 * seconds where one request takes milliseconds.
 *
 * @module
 */
import { join } from "node:path";
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
} from "kafkajs";
import { FatalError } from "../errors.ts";
import { createKafka } from "../kafka/client.ts";
import { parseProperties } from "../kafka/properties.ts";
import { makeCertificates } from "./certs.ts";
import type { Listener } from "./config.ts";
import {
  type AclSpec,
  APP_USER,
  appAcls,
  CLIENT_FILES,
  type ClientFile,
  clientFileTexts,
  newCredentials,
  scramArguments,
  type SecureCredentials,
  secureListeners,
  type SecurePorts,
  securePorts,
  secureServerProperties,
} from "./secure.ts";
import { display, exists } from "./_util.ts";

/** What a secured start adds to the broker's configuration. */
export interface SecureSetup {
  ports: SecurePorts;
  /** Listeners to add beside PLAINTEXT and CONTROLLER. */
  listeners: Listener[];
  /** Lines to add to `server.properties`. */
  properties: string[];
  /** The client files, by kind, as absolute paths. */
  clientFiles: Record<ClientFile, string>;
  /** The storage tool's `--add-scram` arguments, for the first format. */
  scramArguments(): Promise<string[]>;
}

/** The client files of `dataDir`, as absolute paths. */
export function clientFilePaths(dataDir: string): Record<ClientFile, string> {
  const paths = {} as Record<ClientFile, string>;
  for (const [kind, name] of Object.entries(CLIENT_FILES)) {
    paths[kind as ClientFile] = join(dataDir, name);
  }
  return paths;
}

/**
 * Makes (on first use) or reads back the secrets and certificates of a
 * secured data directory and writes its client files. `formatted` says the
 * storage already holds the SCRAM users: then the secrets must be the ones
 * in the client files, and a directory that lost them is a FatalError.
 */
export async function prepareSecurity(
  dataDir: string,
  port: number,
  formatted: boolean,
): Promise<SecureSetup> {
  const clientFiles = clientFilePaths(dataDir);
  let credentials = await readCredentials(clientFiles);
  if (credentials === undefined) {
    if (formatted) {
      throw new FatalError(
        `${display(dataDir)} holds a secured broker whose client files are gone, and with them ` +
          "its passwords: delete the directory to start afresh",
      );
    }
    credentials = newCredentials();
  }
  const tlsDir = join(dataDir, "tls");
  const tls = {
    ca: join(tlsDir, "ca.pem"),
    keystore: join(tlsDir, "broker.pem"),
    clientCert: join(tlsDir, "client.pem"),
    clientKey: join(tlsDir, "client.key"),
  };
  if (!(await exists(tls.keystore)) || !(await exists(tls.clientKey))) {
    await Deno.mkdir(tlsDir, { recursive: true, mode: 0o700 });
    await makeCertificates(tlsDir, APP_USER, credentials.keyPassword);
  }
  const ports = securePorts(port);
  const texts = clientFileTexts(ports, tls, credentials);
  for (const kind of Object.keys(CLIENT_FILES) as ClientFile[]) {
    await writePrivate(clientFiles[kind], texts[kind]);
  }
  const secrets = credentials;
  return {
    ports,
    listeners: secureListeners(ports),
    properties: secureServerProperties(tls, secrets),
    clientFiles,
    scramArguments: () => scramArguments(secrets),
  };
}

/** Writes `text` to `path` readable by the owner only, also when the file existed. */
export async function writePrivate(path: string, text: string): Promise<void> {
  await Deno.writeTextFile(path, text, { mode: 0o600 });
  await Deno.chmod(path, 0o600);
}

/** The secrets kept in a data directory's client files, or `undefined` when any is missing. */
async function readCredentials(
  files: Record<ClientFile, string>,
): Promise<SecureCredentials | undefined> {
  const value = async (file: string, key: string) => {
    if (!(await exists(file))) return undefined;
    return parseProperties(await Deno.readTextFile(file), file).get(key)?.value;
  };
  const appPassword = await value(files.scram, "sasl.password");
  const deniedPassword = await value(files.denied, "sasl.password");
  const keyPassword = await value(files.mtls, "ssl.key.password");
  if (!appPassword || !deniedPassword || !keyPassword) return undefined;
  return { appPassword, deniedPassword, keyPassword };
}

/**
 * Creates the ACLs of {@linkcode appAcls} through the PLAINTEXT listener at
 * `bootstrap`, where the broker treats us as a super user. Creating an ACL
 * that exists changes nothing, so every start does it.
 */
export async function createAppAcls(bootstrap: string): Promise<void> {
  const admin = createKafka({ brokers: [bootstrap], clientId: "broker-launcher" }).admin();
  await admin.connect();
  try {
    await admin.createAcls({ acl: appAcls().map(kafkajsAcl) });
  } finally {
    await admin.disconnect();
  }
}

function kafkajsAcl(spec: AclSpec) {
  return {
    resourceType: spec.resource === "topic" ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
    resourceName: spec.prefix,
    resourcePatternType: ResourcePatternTypes.PREFIXED,
    principal: spec.principal,
    host: "*",
    operation: AclOperationTypes.ALL,
    permissionType: AclPermissionTypes.ALLOW,
  };
}
