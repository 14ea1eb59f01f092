/**
 * What `--secure` adds to the local broker, as data: three secured listeners
 * beside PLAINTEXT (SASL_SSL with SCRAM, SSL with client certificates
 * required, SASL_PLAINTEXT with PLAIN), their `server.properties` settings,
 * the SCRAM users created at format time (KIP-900), the ACLs of the
 * application user, and the client files handed to people, in librdkafka's
 * property names so kcat and confluent-kafka read them unchanged. Pure but
 * for the SCRAM hashing (WebCrypto, async); the files are written by
 * `secure_files.ts`.
 *
 * @module
 */
import type { Listener } from "./config.ts";
import { BROKER_HOST } from "./options.ts";

/** The application user: allowed on `orders*` topics and `order*` groups. */
export const APP_USER = "app";
/** A user that exists but has no ACL at all: every request it makes is refused. */
export const DENIED_USER = "denied";

/** Topics whose names start with this are the application user's. */
export const APP_TOPIC_PREFIX = "orders";
/** Groups whose names start with this are the application user's (`order-processors`, `orders-dlq-*`). */
export const APP_GROUP_PREFIX = "order";

/** The secrets of a secured data directory; they live only in its client files. */
export interface SecureCredentials {
  /** The application user's password (SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN). */
  appPassword: string;
  /** The denied user's password (the same three mechanisms). */
  deniedPassword: string;
  /** The passphrase of the client certificate's encrypted key. */
  keyPassword: string;
}

/** The ports of the secured listeners, on {@linkcode BROKER_HOST}. */
export interface SecurePorts {
  /** SASL_SSL with SCRAM-SHA-256 and SCRAM-SHA-512. */
  saslSsl: number;
  /** SSL with client certificates required (mutual TLS). */
  ssl: number;
  /** SASL_PLAINTEXT with PLAIN. */
  saslPlaintext: number;
}

/**
 * The secured listeners' ports for a broker whose PLAINTEXT port is `port`:
 * the three after its controller's default port (`port + 1`).
 *
 * @example
 * ```ts
 * import { securePorts } from "./secure.ts";
 * securePorts(19100); // { saslSsl: 19102, ssl: 19103, saslPlaintext: 19104 }
 * ```
 */
export function securePorts(port: number): SecurePorts {
  return { saslSsl: port + 2, ssl: port + 3, saslPlaintext: port + 4 };
}

/**
 * The secured listeners, to add to the broker's listener list.
 *
 * @example
 * ```ts
 * import { secureListeners } from "./secure.ts";
 * secureListeners({ saslSsl: 2, ssl: 3, saslPlaintext: 4 }).map((l) => l.name);
 * // ["SASL_SSL", "SSL", "SASL_PLAINTEXT"]
 * ```
 */
export function secureListeners(ports: SecurePorts): Listener[] {
  return [
    { name: "SASL_SSL", port: ports.saslSsl, protocol: "SASL_SSL", controller: false },
    { name: "SSL", port: ports.ssl, protocol: "SSL", controller: false },
    {
      name: "SASL_PLAINTEXT",
      port: ports.saslPlaintext,
      protocol: "SASL_PLAINTEXT",
      controller: false,
    },
  ];
}

/** The files the secured broker reads. */
export interface BrokerTlsFiles {
  /** The CA certificate, PEM: the broker trusts client certificates it signed. */
  ca: string;
  /** The broker's certificate chain and key, PEM (Kafka's PEM keystore). */
  keystore: string;
}

const PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
const SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";

/**
 * The `server.properties` lines of the secured listeners and the
 * authorizer. PLAINTEXT and the controller stay open: their principal,
 * `User:ANONYMOUS`, is a super user, so the broker's own traffic and every
 * existing program and test on PLAINTEXT work as before; the secured
 * listeners see `User:app`, `User:denied`, and for a client certificate its
 * CN (`ssl.principal.mapping.rules`). Without an ACL a request is refused
 * (`allow.everyone.if.no.acl.found` stays false).
 *
 * @example
 * ```ts
 * import { secureServerProperties } from "./secure.ts";
 * const creds = { appPassword: "a", deniedPassword: "d", keyPassword: "k" };
 * secureServerProperties({ ca: "/d/ca.pem", keystore: "/d/broker.pem" }, creds).at(-1);
 * // "super.users=User:ANONYMOUS"
 * ```
 */
export function secureServerProperties(
  files: BrokerTlsFiles,
  credentials: SecureCredentials,
): string[] {
  const users = `user_${APP_USER}="${credentials.appPassword}" ` +
    `user_${DENIED_USER}="${credentials.deniedPassword}"`;
  return [
    // TLS for SASL_SSL and SSL: PEM files, so no keystore password exists at all.
    "ssl.keystore.type=PEM",
    `ssl.keystore.location=${files.keystore}`,
    "ssl.truststore.type=PEM",
    `ssl.truststore.location=${files.ca}`,
    "listener.name.ssl.ssl.client.auth=required",
    // CN=app,OU=clients,O=order-pipeline -> User:app, so one ACL covers SCRAM, PLAIN and mTLS.
    "listener.name.ssl.ssl.principal.mapping.rules=RULE:^CN=([^,]+),.*$/$1/,DEFAULT",
    "listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512",
    `listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=${SCRAM_MODULE} required;`,
    `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${SCRAM_MODULE} required;`,
    "listener.name.sasl_plaintext.sasl.enabled.mechanisms=PLAIN",
    `listener.name.sasl_plaintext.plain.sasl.jaas.config=${PLAIN_MODULE} required ${users};`,
    "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
    "super.users=User:ANONYMOUS",
  ];
}

/** The SCRAM mechanisms users are created for, with their hashes and key sizes. */
const SCRAM_MECHANISMS = [
  { name: "SCRAM-SHA-256", hash: "SHA-256", bits: 256 },
  { name: "SCRAM-SHA-512", hash: "SHA-512", bits: 512 },
] as const;

/** Kafka's smallest SCRAM iteration count. */
const SCRAM_ITERATIONS = 4096;

/**
 * The storage tool's `--add-scram` arguments that create both users for both
 * SCRAM mechanisms (KIP-900). Each carries the salted password (PBKDF2 of
 * the password with `salt`), not the password, so the password is on no
 * command line.
 *
 * @example
 * ```ts ignore
 * import { scramArguments } from "./secure.ts";
 * const creds = { appPassword: "a", deniedPassword: "d", keyPassword: "k" };
 * (await scramArguments(creds, () => new Uint8Array(16)))[0]; // "--add-scram"
 * ```
 */
export async function scramArguments(
  credentials: SecureCredentials,
  salt: () => Uint8Array = () => crypto.getRandomValues(new Uint8Array(24)),
): Promise<string[]> {
  const args: string[] = [];
  const users = [[APP_USER, credentials.appPassword], [DENIED_USER, credentials.deniedPassword]];
  for (const [user, password] of users) {
    for (const mechanism of SCRAM_MECHANISMS) {
      const bytes = salt();
      const salted = await saltedPassword(password, bytes, mechanism.hash, mechanism.bits);
      args.push(
        "--add-scram",
        `${mechanism.name}=[name=${user},salt="${base64(bytes)}",` +
          `saltedpassword="${base64(salted)}",iterations=${SCRAM_ITERATIONS}]`,
      );
    }
  }
  return args;
}

/** SCRAM's `Hi(password, salt, i)`: PBKDF2 with HMAC of `hash`. */
export async function saltedPassword(
  password: string,
  salt: Uint8Array,
  hash: "SHA-256" | "SHA-512",
  bits: number,
  iterations = SCRAM_ITERATIONS,
): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(password),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  return new Uint8Array(
    await crypto.subtle.deriveBits(
      { name: "PBKDF2", hash, salt: salt as BufferSource, iterations },
      key,
      bits,
    ),
  );
}

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** One ACL binding in Kafka's words: `ALLOW User:app All on topic orders*`. */
export interface AclSpec {
  principal: string;
  resource: "topic" | "group";
  /** The resource name prefix (a PREFIXED pattern). */
  prefix: string;
  /** Kafka's operation name. */
  operation: "All";
}

/**
 * The ACLs the launcher creates: the application user may do anything with
 * `orders*` topics and `order*` groups, and nothing else; the denied user
 * gets none.
 *
 * @example
 * ```ts
 * import { appAcls } from "./secure.ts";
 * appAcls().map((acl) => `${acl.principal} ${acl.operation} ${acl.resource} ${acl.prefix}*`);
 * // ["User:app All topic orders*", "User:app All group order*"]
 * ```
 */
export function appAcls(): AclSpec[] {
  return [
    {
      principal: `User:${APP_USER}`,
      resource: "topic",
      prefix: APP_TOPIC_PREFIX,
      operation: "All",
    },
    {
      principal: `User:${APP_USER}`,
      resource: "group",
      prefix: APP_GROUP_PREFIX,
      operation: "All",
    },
  ];
}

/** The client files a secured data directory holds, by name. */
export const CLIENT_FILES = {
  /** The application user over SASL_SSL with SCRAM-SHA-512. */
  scram: "client-scram.properties",
  /** The application user's certificate over SSL (mutual TLS). */
  mtls: "client-mtls.properties",
  /** The application user over SASL_PLAINTEXT with PLAIN. */
  plain: "client-plain.properties",
  /** The user without permissions over SASL_SSL with SCRAM-SHA-512. */
  denied: "client-denied.properties",
} as const;

/** Which client file. */
export type ClientFile = keyof typeof CLIENT_FILES;

/** Where the client files point: the CA and the client certificate and key. */
export interface ClientTlsFiles {
  ca: string;
  clientCert: string;
  clientKey: string;
}

/**
 * The text of each client file: complete client settings in librdkafka's
 * names, `bootstrap.servers` included, for kcat (`-F`), confluent-kafka and
 * our programs (`--config`).
 *
 * @example
 * ```ts
 * import { clientFileTexts, securePorts } from "./secure.ts";
 * const creds = { appPassword: "a", deniedPassword: "d", keyPassword: "k" };
 * const files = { ca: "/d/ca.pem", clientCert: "/d/client.pem", clientKey: "/d/client.key" };
 * clientFileTexts(securePorts(19100), files, creds).plain.split("\n")[1];
 * // "bootstrap.servers=127.0.0.1:19104"
 * ```
 */
export function clientFileTexts(
  ports: SecurePorts,
  files: ClientTlsFiles,
  credentials: SecureCredentials,
): Record<ClientFile, string> {
  const text = (title: string, lines: string[]) =>
    [`# ${title}; written by deno task broker --secure. Keep it private.`, ...lines, ""].join("\n");
  const scram = (user: string, password: string) => [
    `bootstrap.servers=${BROKER_HOST}:${ports.saslSsl}`,
    "security.protocol=SASL_SSL",
    "sasl.mechanism=SCRAM-SHA-512",
    `sasl.username=${user}`,
    `sasl.password=${password}`,
    `ssl.ca.location=${files.ca}`,
  ];
  return {
    scram: text(
      `User ${APP_USER} over SASL_SSL with SCRAM-SHA-512`,
      scram(APP_USER, credentials.appPassword),
    ),
    mtls: text(`User ${APP_USER} by client certificate over SSL (mutual TLS)`, [
      `bootstrap.servers=${BROKER_HOST}:${ports.ssl}`,
      "security.protocol=SSL",
      `ssl.ca.location=${files.ca}`,
      `ssl.certificate.location=${files.clientCert}`,
      `ssl.key.location=${files.clientKey}`,
      `ssl.key.password=${credentials.keyPassword}`,
    ]),
    plain: text(`User ${APP_USER} over SASL_PLAINTEXT with PLAIN`, [
      `bootstrap.servers=${BROKER_HOST}:${ports.saslPlaintext}`,
      "security.protocol=SASL_PLAINTEXT",
      "sasl.mechanism=PLAIN",
      `sasl.username=${APP_USER}`,
      `sasl.password=${credentials.appPassword}`,
    ]),
    denied: text(
      `User ${DENIED_USER}, who has no permissions, over SASL_SSL with SCRAM-SHA-512`,
      scram(DENIED_USER, credentials.deniedPassword),
    ),
  };
}

/**
 * New random secrets: 24 random bytes each, base64url, so they need no
 * quoting in a properties file or a JAAS line.
 */
export function newCredentials(): SecureCredentials {
  const secret = () =>
    btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))))
      .replaceAll("+", "-").replaceAll("/", "_");
  return { appPassword: secret(), deniedPassword: secret(), keyPassword: secret() };
}
