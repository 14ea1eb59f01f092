/**
 * Why a connection to Kafka failed, in one line that says what to change:
 * a refused login (naming the user and mechanism), a broker certificate from
 * an unknown CA or for another name, a refused client certificate, TLS
 * spoken to a plaintext port or plaintext to a TLS port, or no answer at
 * all. Pure: it reads the error's shape (kafkajs keeps node:tls's `code` on
 * its connection errors), never a secret.
 *
 * @module
 */
import type { ClientSecurity } from "./security.ts";
import { causeChain, describeError } from "./errors.ts";

/** The code our socket factory gives the error it raises when a plaintext client hears TLS. */
export const PLAINTEXT_TO_TLS = "ERR_KAFKA_PLAINTEXT_TO_TLS";

/** node:tls verification codes that mean the broker's certificate has no CA we trust. */
const UNKNOWN_CA = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);
const EXPIRED = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);
const NAME_MISMATCH = "ERR_TLS_CERT_ALTNAME_INVALID";
/** The broker's TLS alert when it refuses (or misses) our client certificate. */
const CLIENT_CERT_REFUSED =
  /ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN|UNKNOWN_CA|UNSUPPORTED_CERTIFICATE)/;
const CLIENT_CERT_ALERT =
  /alert: (BadCertificate|CertificateRequired|CertificateUnknown|UnknownCA|UnsupportedCertificate)/i;
const HANDSHAKE_CLOSED = /before secure TLS connection was established/;

/** An error's `code` and message, through kafkajs's wrappers. */
interface ErrorShape {
  name?: string;
  code?: string;
  message: string;
  /** The broker kafkajs says the error came from. */
  broker?: string;
}

/**
 * The error of the `cause`/`originalError` chain that explains the failure:
 * a refused login, else the first that carries a code (node:tls's), else a
 * closed connection, else the outermost.
 */
function shape(error: unknown): ErrorShape {
  const chain = causeChain(error, 6);
  const broker = (chain.find((e) => typeof (e as { broker?: unknown }).broker === "string") as
    | { broker?: string }
    | undefined)?.broker;
  const named = (name: string) => chain.find((e) => e.name === name);
  const sasl = named("KafkaJSSASLAuthenticationError");
  if (sasl !== undefined) return { name: sasl.name, message: sasl.message, broker };
  const coded = chain.find((e) => typeof (e as { code?: unknown }).code === "string");
  if (coded !== undefined) {
    const code = (coded as { code?: string }).code;
    return { name: coded.name, code, message: coded.message, broker };
  }
  const closed = named("KafkaJSConnectionClosedError");
  if (closed !== undefined) return { name: closed.name, message: closed.message, broker };
  return {
    name: error instanceof Error ? error.name : undefined,
    message: describeError(error),
    broker,
  };
}

/**
 * Whether a socket error ends every attempt the same way, so waiting for
 * kafkajs's retries would only hide it: certificate and handshake failures,
 * and TLS heard on a plaintext connection. A refused or timed-out TCP
 * connect is not: the broker may be starting.
 *
 * @example
 * ```ts
 * import { isFatalSocketError } from "./failures.ts";
 * isFatalSocketError({ code: "ERR_TLS_CERT_ALTNAME_INVALID", message: "" }); // true
 * isFatalSocketError({ code: "ECONNREFUSED", message: "connect ECONNREFUSED" }); // false
 * ```
 */
export function isFatalSocketError(error: { code?: string; message: string }): boolean {
  const code = error.code ?? "";
  return UNKNOWN_CA.has(code) || EXPIRED.has(code) || code === NAME_MISMATCH ||
    code === PLAINTEXT_TO_TLS || CLIENT_CERT_REFUSED.test(code) ||
    CLIENT_CERT_ALERT.test(error.message) || HANDSHAKE_CLOSED.test(error.message);
}

/**
 * Whether the first bytes a plaintext client receives are a TLS record (an
 * alert or a handshake): a Kafka response starts with its 4-byte size, and
 * `0x15 0x03` or `0x16 0x03` would announce more than 350 MB.
 *
 * @example
 * ```ts
 * import { looksLikeTls } from "./failures.ts";
 * looksLikeTls(new Uint8Array([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50])); // true
 * looksLikeTls(new Uint8Array([0x00, 0x00, 0x01, 0xd8])); // false
 * ```
 */
export function looksLikeTls(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && (bytes[0] === 0x15 || bytes[0] === 0x16) && bytes[1] === 0x03 &&
    bytes[2] <= 0x04;
}

/** What {@linkcode connectFailureLine} says the connection was. */
export interface ConnectAttempt {
  brokers: string[];
  /** The client's security; unset is plaintext. */
  security?: ClientSecurity;
  /** The connect timeout, in ms, for the no-answer line. */
  timeoutMs: number;
  /** The broker the failure came from, when known. */
  broker?: string;
}

/**
 * The one line for a failed connect.
 *
 * @example
 * ```ts
 * import { connectFailureLine } from "./failures.ts";
 * connectFailureLine(new Error("no answer within 5 s"), { brokers: ["b:9092"], timeoutMs: 5000 });
 * // "cannot reach Kafka at b:9092: no answer within 5 s; start one with 'deno task broker' or point --brokers / KAFKA_BROKERS at a running broker"
 * ```
 */
export function connectFailureLine(error: unknown, attempt: ConnectAttempt): string {
  const { security } = attempt;
  const protocol = security?.protocol ?? "plaintext";
  const e = shape(error);
  const where = attempt.broker ?? e.broker ?? attempt.brokers.join(",");
  const code = e.code ?? "";
  if (e.name === "KafkaJSSASLAuthenticationError") {
    const said = e.message.replace(/^SASL [\w ]+ authentication failed: /, "");
    return `cannot log in to Kafka at ${where} as ${security?.identity ?? "this user"}: ${said}`;
  }
  const tls = `TLS with Kafka at ${where} failed`;
  if (UNKNOWN_CA.has(code)) {
    return `${tls}: the broker's certificate is not signed by a CA we trust (${
      security?.tls?.caSource ?? "the default CAs"
    }): set ssl.ca.location to the CA that signed it`;
  }
  if (code === NAME_MISMATCH) {
    // node:tls says "Host: x. is not in the cert's altnames: DNS:a, IP Address:b".
    const names = /.*altnames: (.*)$/.exec(e.message)?.[1];
    const host = where.replace(/:\d+$/, "");
    return `${tls}: the broker's certificate is not valid for the name ${host}${
      names ? ` (it names ${names})` : ""
    }: connect by a name it holds, or set ssl.endpoint.identification.algorithm=none to skip only the name check`;
  }
  if (EXPIRED.has(code)) {
    return `${tls}: the broker's certificate has expired or is not valid yet (${code})`;
  }
  if (CLIENT_CERT_REFUSED.test(code) || CLIENT_CERT_ALERT.test(e.message)) {
    return security?.tls?.cert === undefined
      ? `${tls}: the broker requires a client certificate (mutual TLS): set ssl.certificate.location and ssl.key.location`
      : `${tls}: the broker refused our ${security.identity}: it must be signed by a CA the broker trusts`;
  }
  if (HANDSHAKE_CLOSED.test(e.message)) {
    return `${tls}: the broker closed the connection during the TLS handshake, as a plaintext ` +
      `port does: check the port, or set security.protocol to plaintext or sasl_plaintext`;
  }
  if (code === PLAINTEXT_TO_TLS) {
    return `Kafka at ${where} answered with TLS but security.protocol is ${protocol}: set it to ` +
      "ssl or sasl_ssl (and ssl.ca.location)";
  }
  if (e.name === "KafkaJSConnectionClosedError" && security?.sasl === undefined) {
    return `Kafka at ${where} closed the connection on our first request, as a listener that ` +
      "expects SASL does: set security.protocol to sasl_plaintext or sasl_ssl, with " +
      "sasl.mechanism, sasl.username and sasl.password";
  }
  const hint = protocol === "plaintext"
    ? "start one with 'deno task broker' or point --brokers / KAFKA_BROKERS at a running broker"
    : `check the address and that the port serves ${protocol.toUpperCase()}`;
  return `cannot reach Kafka at ${attempt.brokers.join(",")}: ${describeError(error)}; ${hint}`;
}
