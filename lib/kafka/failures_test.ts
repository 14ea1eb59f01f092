import assert from "node:assert/strict";
import {
  connectFailureLine,
  isFatalSocketError,
  looksLikeTls,
  PLAINTEXT_TO_TLS,
} from "./failures.ts";
import { Secret } from "./secret.ts";
import type { ClientSecurity } from "./security.ts";

const BROKERS = ["127.0.0.1:19102"];
const SCRAM: ClientSecurity = {
  protocol: "sasl_ssl",
  sasl: { mechanism: "SCRAM-SHA-512", username: "app", password: new Secret("pw") },
  tls: { ca: ["pem"], caSource: "/d/ca.pem", verifyHostname: true },
  identity: "user app (SCRAM-SHA-512)",
};
const MTLS: ClientSecurity = {
  protocol: "ssl",
  tls: {
    ca: ["pem"],
    caSource: "/d/ca.pem",
    cert: "pem",
    key: new Secret("k"),
    verifyHostname: true,
  },
  identity: "client certificate CN=app",
};

/** A kafkajs connection error as it reaches us after its retries: code and broker kept. */
function connectionError(message: string, code?: string, broker = BROKERS[0]): Error {
  const inner = Object.assign(new Error(`Connection error: ${message}`), {
    name: "KafkaJSConnectionError",
    code,
    broker,
  });
  return Object.assign(new Error(inner.message), {
    name: "KafkaJSNumberOfRetriesExceeded",
    cause: inner,
    originalError: inner,
  });
}

function line(error: unknown, security?: ClientSecurity, broker?: string): string {
  return connectFailureLine(error, { brokers: BROKERS, security, timeoutMs: 5000, broker });
}

Deno.test("connectFailureLine() names the user and mechanism of a refused login", () => {
  const error = Object.assign(
    new Error(
      "SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512",
    ),
    { name: "KafkaJSSASLAuthenticationError" },
  );
  assert.equal(
    line(error, SCRAM),
    "cannot log in to Kafka at 127.0.0.1:19102 as user app (SCRAM-SHA-512): Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512",
  );
});

Deno.test("connectFailureLine() says the broker's certificate has no CA we trust, and which CAs", () => {
  assert.equal(
    line(
      connectionError("unable to verify the first certificate", "UNABLE_TO_VERIFY_LEAF_SIGNATURE"),
      SCRAM,
    ),
    "TLS with Kafka at 127.0.0.1:19102 failed: the broker's certificate is not signed by a CA we trust (/d/ca.pem): set ssl.ca.location to the CA that signed it",
  );
});

Deno.test("connectFailureLine() says which name the certificate does not hold, and the ones it does", () => {
  const error = connectionError(
    "Hostname/IP does not match certificate's altnames: Host: 127.1. is not in the cert's altnames: DNS:localhost, IP Address:127.0.0.1",
    "ERR_TLS_CERT_ALTNAME_INVALID",
    "127.1:19102",
  );
  assert.equal(
    line(error, SCRAM),
    "TLS with Kafka at 127.1:19102 failed: the broker's certificate is not valid for the name 127.1 (it names DNS:localhost, IP Address:127.0.0.1): connect by a name it holds, or set ssl.endpoint.identification.algorithm=none to skip only the name check",
  );
});

Deno.test("connectFailureLine() tells a missing client certificate from a refused one", () => {
  const alert = connectionError(
    "received fatal alert: BadCertificate",
    "ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE",
  );
  assert.equal(
    line(alert, {
      ...MTLS,
      tls: { ...MTLS.tls!, cert: undefined, key: undefined },
      identity: undefined,
    }),
    "TLS with Kafka at 127.0.0.1:19102 failed: the broker requires a client certificate (mutual TLS): set ssl.certificate.location and ssl.key.location",
  );
  const unknown = connectionError(
    "received fatal alert: CertificateUnknown",
    "ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN",
  );
  assert.equal(
    line(unknown, MTLS),
    "TLS with Kafka at 127.0.0.1:19102 failed: the broker refused our client certificate CN=app: it must be signed by a CA the broker trusts",
  );
});

Deno.test("connectFailureLine() says TLS met a plaintext port, and plaintext a TLS port", () => {
  const handshake = connectionError(
    "Client network socket disconnected before secure TLS connection was established",
    "ECONNRESET",
    "127.0.0.1:19100",
  );
  assert.equal(
    line(handshake, MTLS),
    "TLS with Kafka at 127.0.0.1:19100 failed: the broker closed the connection during the TLS handshake, as a plaintext port does: check the port, or set security.protocol to plaintext or sasl_plaintext",
  );
  const heard = Object.assign(new Error("127.0.0.1:19103 answered with TLS"), {
    code: PLAINTEXT_TO_TLS,
  });
  assert.equal(
    line(heard, undefined, "127.0.0.1:19103"),
    "Kafka at 127.0.0.1:19103 answered with TLS but security.protocol is plaintext: set it to ssl or sasl_ssl (and ssl.ca.location)",
  );
});

Deno.test("connectFailureLine() reads a connection closed on the first request as a SASL listener", () => {
  const closed = Object.assign(new Error("Closed connection"), {
    name: "KafkaJSConnectionClosedError",
    broker: "127.0.0.1:19104",
  });
  assert.equal(
    line(closed),
    "Kafka at 127.0.0.1:19104 closed the connection on our first request, as a listener that expects SASL does: set security.protocol to sasl_plaintext or sasl_ssl, with sasl.mechanism, sasl.username and sasl.password",
  );
  assert.match(
    line(closed, SCRAM),
    /^cannot reach Kafka at 127\.0\.0\.1:19102: Closed connection; /,
  );
});

Deno.test("connectFailureLine() keeps the no-answer line, with a hint that fits the protocol", () => {
  const timeout = new Error("no answer within 5 s");
  assert.equal(
    line(timeout),
    "cannot reach Kafka at 127.0.0.1:19102: no answer within 5 s; start one with 'deno task broker' or point --brokers / KAFKA_BROKERS at a running broker",
  );
  assert.equal(
    line(timeout, SCRAM),
    "cannot reach Kafka at 127.0.0.1:19102: no answer within 5 s; check the address and that the port serves SASL_SSL",
  );
});

Deno.test("isFatalSocketError() gives up on certificates and handshakes, not on a refused connect", () => {
  const fatal = [
    { code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE", message: "" },
    { code: "SELF_SIGNED_CERT_IN_CHAIN", message: "" },
    { code: "ERR_TLS_CERT_ALTNAME_INVALID", message: "" },
    { code: "CERT_HAS_EXPIRED", message: "" },
    { code: "ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN", message: "" },
    { code: PLAINTEXT_TO_TLS, message: "" },
    {
      code: "ECONNRESET",
      message: "Client network socket disconnected before secure TLS connection was established",
    },
  ];
  for (const error of fatal) assert.equal(isFatalSocketError(error), true, error.code);
  for (const code of ["ECONNREFUSED", "ETIMEDOUT", "ECONNRESET", "EPIPE"]) {
    assert.equal(isFatalSocketError({ code, message: `connect ${code}` }), false, code);
  }
});

Deno.test("looksLikeTls() knows a TLS alert or handshake record from a Kafka response", () => {
  assert.equal(looksLikeTls(new Uint8Array([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50])), true);
  assert.equal(looksLikeTls(new Uint8Array([0x16, 0x03, 0x01, 0x02, 0x00])), true);
  assert.equal(looksLikeTls(new Uint8Array([0x00, 0x00, 0x01, 0xd8, 0x00])), false);
  assert.equal(looksLikeTls(new Uint8Array([0x15, 0x03])), false);
});
