/**
 * The TLS and SASL a client connects with: the PEM files read and checked
 * once at start-up (a missing or unreadable file is a usage error naming the
 * key and the path; the path is not secret, the contents are), the kafkajs
 * `ssl`/`sasl` options made from them, and a description of who we are for
 * messages, which never holds a secret.
 *
 * @module
 */
import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import type { ConnectionOptions } from "node:tls";
import type { SASLOptions } from "kafkajs";
import { UsageError } from "../errors.ts";
import type { ClientConfig, SaslSettings, SecurityProtocol } from "./client_config.ts";
import { Secret } from "./secret.ts";

/** The TLS files, read and checked. */
export interface TlsMaterial {
  /** The CA certificates from `ssl.ca.location`, one PEM each; unset means the default CAs. */
  ca?: string[];
  /** Where they came from, for messages: the path, or `the default CAs`. */
  caSource: string;
  /** The client certificate (PEM), for mutual TLS. */
  cert?: string;
  /** Its private key, decrypted, as PKCS#8 PEM. */
  key?: Secret;
  /** Whether the broker's certificate must name the host; see `TlsSettings`. */
  verifyHostname: boolean;
}

/** How a client proves who it is and protects the connection. */
export interface ClientSecurity {
  protocol: SecurityProtocol;
  sasl?: SaslSettings;
  tls?: TlsMaterial;
  /**
   * Who the broker will see, for messages: `user app (SCRAM-SHA-512)`,
   * `client certificate CN=app`; unset on an anonymous connection.
   */
  identity?: string;
}

/** Reads a file's text; tests pass a map of paths instead. */
export type ReadText = (path: string) => string;

/**
 * Reads and checks the files `config` names and returns the security to
 * connect with. Throws a {@linkcode UsageError} naming the key and path of a
 * file that is missing, holds no PEM, is encrypted without
 * `ssl.key.password`, does not decrypt with it, or is not the key of the
 * certificate.
 */
export function loadSecurity(
  config: ClientConfig,
  read: ReadText = Deno.readTextFileSync,
): ClientSecurity {
  const tls = config.tls === undefined ? undefined : loadTls(config.tls, read);
  const sasl = config.sasl;
  const identity = sasl !== undefined
    ? `user ${sasl.username} (${sasl.mechanism})`
    : tls?.cert !== undefined
    ? `client certificate ${subjectName(tls.cert)}`
    : undefined;
  return { protocol: config.protocol, sasl, tls, identity };
}

function loadTls(settings: NonNullable<ClientConfig["tls"]>, read: ReadText): TlsMaterial {
  const { caLocation, certificateLocation, keyLocation, keyPassword, verifyHostname } = settings;
  const ca = caLocation === undefined
    ? undefined
    : pemCertificates("ssl.ca.location", caLocation, readFile("ssl.ca.location", caLocation, read));
  let cert: string | undefined;
  let key: Secret | undefined;
  if (certificateLocation !== undefined && keyLocation !== undefined) {
    cert = pemCertificates(
      "ssl.certificate.location",
      certificateLocation,
      readFile("ssl.certificate.location", certificateLocation, read),
    ).join("");
    const keyObject = privateKey(
      keyLocation,
      readFile("ssl.key.location", keyLocation, read),
      keyPassword,
    );
    if (!new X509Certificate(cert).checkPrivateKey(keyObject)) {
      throw new UsageError(
        `ssl.key.location (${keyLocation}) is not the key of ssl.certificate.location (${certificateLocation})`,
      );
    }
    key = new Secret(keyObject.export({ type: "pkcs8", format: "pem" }) as string);
  }
  return { ca, caSource: caLocation ?? "the default CAs", cert, key, verifyHostname };
}

function readFile(key: string, path: string, read: ReadText): string {
  try {
    return read(path);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound
      ? "no such file"
      : error instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : error instanceof Error
      ? error.message
      : String(error);
    throw new UsageError(`${key}: cannot read ${path}: ${why}`);
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates in a PEM file, each checked to parse. */
function pemCertificates(key: string, path: string, text: string): string[] {
  const certs = text.match(PEM_CERTIFICATE) ?? [];
  if (certs.length === 0) throw new UsageError(`${key}: ${path} holds no PEM certificate`);
  for (const pem of certs) {
    try {
      new X509Certificate(pem);
    } catch {
      throw new UsageError(`${key}: ${path} holds a certificate that does not parse`);
    }
  }
  return certs.map((pem) => pem + "\n");
}

/** The key in `text`, decrypted with `password` when it is encrypted. */
function privateKey(path: string, text: string, password: Secret | undefined): KeyObject {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new UsageError(`ssl.key.location: ${path} holds no PEM private key`);
  }
  const encrypted = /ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(text);
  if (encrypted && password === undefined) {
    throw new UsageError(`ssl.key.location: ${path} is encrypted: set ssl.key.password`);
  }
  try {
    return createPrivateKey({ key: text, format: "pem", passphrase: password?.reveal() });
  } catch {
    // The library's message is not shown: it is about the key's contents.
    throw new UsageError(
      encrypted
        ? `ssl.key.password does not decrypt ssl.key.location (${path})`
        : `ssl.key.location: ${path} holds a private key that does not parse`,
    );
  }
}

/** `CN=app` for a certificate with a common name, else its whole subject on one line. */
function subjectName(pem: string): string {
  const subject = new X509Certificate(pem).subject.split("\n");
  return subject.find((part) => part.startsWith("CN=")) ?? subject.join(", ");
}

/** The kafkajs options for `security`. */
export interface KafkajsSecurity {
  ssl?: ConnectionOptions;
  sasl?: SASLOptions;
}

/**
 * The kafkajs `ssl` and `sasl` options: node `tls.connect` options (CA,
 * client certificate and key; with `ssl.endpoint.identification.algorithm=none`
 * a `checkServerIdentity` that skips only the name check, the CA check stays)
 * and the SASL mechanism in kafkajs's lower-case spelling. The one place
 * secrets are revealed.
 *
 * @example
 * ```ts
 * import { kafkajsSecurity } from "./security.ts";
 * kafkajsSecurity({ protocol: "plaintext" }); // {}
 * ```
 */
export function kafkajsSecurity(security: ClientSecurity | undefined): KafkajsSecurity {
  const out: KafkajsSecurity = {};
  const tls = security?.tls;
  if (tls !== undefined) {
    out.ssl = {
      rejectUnauthorized: true,
      ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
      ...(tls.cert !== undefined ? { cert: tls.cert, key: tls.key!.reveal() } : {}),
      ...(tls.verifyHostname ? {} : { checkServerIdentity: () => undefined }),
    };
  }
  const sasl = security?.sasl;
  if (sasl !== undefined) {
    const username = sasl.username;
    const password = sasl.password.reveal();
    out.sasl = sasl.mechanism === "PLAIN"
      ? { mechanism: "plain", username, password }
      : sasl.mechanism === "SCRAM-SHA-256"
      ? { mechanism: "scram-sha-256", username, password }
      : { mechanism: "scram-sha-512", username, password };
  }
  return out;
}

/**
 * How a client connects, for messages: the protocol in Kafka's spelling and
 * who it is.
 *
 * @example
 * ```ts
 * import { describeSecurity } from "./security.ts";
 * describeSecurity(undefined); // "PLAINTEXT"
 * describeSecurity({ protocol: "ssl", identity: "client certificate CN=app" });
 * // "SSL as client certificate CN=app"
 * ```
 */
export function describeSecurity(security: ClientSecurity | undefined): string {
  const protocol = (security?.protocol ?? "plaintext").toUpperCase();
  return security?.identity === undefined ? protocol : `${protocol} as ${security.identity}`;
}
