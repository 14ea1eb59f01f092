/**
 * A throwaway certificate authority for a secured local broker, made with
 * `openssl`: the CA, a broker certificate for `localhost` and `127.0.0.1`
 * (the keystore Kafka reads as PEM), and a client certificate for mutual TLS
 * whose key is encrypted PKCS#8 (as managed services hand them out). The
 * steps are a pure plan of openssl command lines, so the exact commands are
 * tested without running them; the key's passphrase goes to openssl on
 * stdin, never on its command line.
 *
 * @module
 */
import { join } from "node:path";
import { notInstalled } from "../cli/command.ts";
import { FatalError } from "../errors.ts";

/** The files {@linkcode makeCertificates} writes into a directory. */
export interface CertificateFiles {
  /** `ca.pem`: the CA certificate, what clients trust (`ssl.ca.location`). */
  ca: string;
  /** `ca.key`: the CA's key, kept only to sign the two certificates. */
  caKey: string;
  /** `broker.pem`: the broker's certificate chain and its unencrypted key (Kafka's PEM keystore). */
  brokerKeystore: string;
  /** `client.pem`: the client certificate (`ssl.certificate.location`). */
  clientCert: string;
  /** `client.key`: its key, encrypted PKCS#8 (`ssl.key.location`, `ssl.key.password`). */
  clientKey: string;
}

/** The names the certificates are issued to. */
export const CA_SUBJECT = "/CN=order-pipeline local CA";
/** The broker's subject; its alternative names are what clients verify. */
export const BROKER_SUBJECT = "/CN=localhost";
/** The names a client may connect to the broker by. */
export const BROKER_ALT_NAMES = "DNS:localhost,IP:127.0.0.1";

/**
 * The client certificate's subject for `user`: the DN Kafka sees is
 * `CN=<user>,OU=clients,O=order-pipeline`, which the broker's
 * `ssl.principal.mapping.rules` turn into `User:<user>`.
 *
 * @example
 * ```ts
 * import { clientSubject } from "./certs.ts";
 * clientSubject("app"); // "/O=order-pipeline/OU=clients/CN=app"
 * ```
 */
export function clientSubject(user: string): string {
  return `/O=order-pipeline/OU=clients/CN=${user}`;
}

/** How long the certificates are valid, in days: a local broker's data outlives a few restarts. */
const DAYS = "825";

/** One openssl run: its arguments, and what it reads on stdin. */
export interface OpensslStep {
  args: string[];
  stdin?: "passphrase";
}

/** The extension files the plan refers to, by name, with their contents. */
export const EXTENSIONS: Record<string, string> = {
  "ca.ext": "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n",
  "broker.ext": "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n" +
    `extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=${BROKER_ALT_NAMES}\n`,
  "client.ext": "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n" +
    "extendedKeyUsage=clientAuth\n",
};

/**
 * The openssl commands that make every file of {@linkcode CertificateFiles}
 * in `dir` (EC P-256 keys; the CA self-signed through `x509 -req`, which
 * LibreSSL and OpenSSL 1.1 and 3 all take). Serial numbers come from
 * `serial`, so the plan itself is deterministic.
 *
 * @example
 * ```ts
 * import { certificatePlan } from "./certs.ts";
 * certificatePlan("/d", "app", () => "01").at(-1)?.stdin; // "passphrase"
 * ```
 */
export function certificatePlan(
  dir: string,
  user: string,
  serial: () => string,
): OpensslStep[] {
  const at = (name: string) => join(dir, name);
  const key = (name: string) => ({
    args: ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", at(name)],
  });
  const request = (keyFile: string, subject: string, csr: string) => ({
    args: ["req", "-new", "-key", at(keyFile), "-subj", subject, "-out", at(csr)],
  });
  const sign = (csr: string, ext: string, out: string, signer: string[]) => ({
    args: [
      "x509",
      "-req",
      "-in",
      at(csr),
      ...signer,
      "-set_serial",
      `0x${serial()}`,
      "-days",
      DAYS,
      "-sha256",
      "-extfile",
      at(ext),
      "-out",
      at(out),
    ],
  });
  const byCa = ["-CA", at("ca.pem"), "-CAkey", at("ca.key")];
  return [
    key("ca.key"),
    request("ca.key", CA_SUBJECT, "ca.csr"),
    sign("ca.csr", "ca.ext", "ca.pem", ["-signkey", at("ca.key")]),
    key("broker.key"),
    request("broker.key", BROKER_SUBJECT, "broker.csr"),
    sign("broker.csr", "broker.ext", "broker.crt", byCa),
    key("client-plain.key"),
    request("client-plain.key", clientSubject(user), "client.csr"),
    sign("client.csr", "client.ext", "client.pem", byCa),
    {
      args: [
        "pkcs8",
        "-topk8",
        "-v2",
        "aes-256-cbc",
        "-in",
        at("client-plain.key"),
        "-out",
        at("client.key"),
        "-passout",
        "stdin",
      ],
      stdin: "passphrase",
    },
  ];
}

/**
 * Makes the CA and the broker and client certificates in `dir` (see
 * {@linkcode certificatePlan}), encrypting the client key with
 * `clientKeyPassword`; removes the requests and the unencrypted client key,
 * and leaves every key readable by the owner only. Throws a
 * {@linkcode FatalError} when openssl is missing or fails.
 */
export async function makeCertificates(
  dir: string,
  user: string,
  clientKeyPassword: string,
): Promise<CertificateFiles> {
  const at = (name: string) => join(dir, name);
  for (const [name, text] of Object.entries(EXTENSIONS)) await Deno.writeTextFile(at(name), text);
  const serial = () =>
    Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0"))
      .join("");
  for (const step of certificatePlan(dir, user, serial)) {
    await openssl(step, clientKeyPassword);
  }
  // Kafka's PEM keystore: the certificate chain and the key in one file.
  const keystore = [
    await Deno.readTextFile(at("broker.crt")),
    await Deno.readTextFile(at("broker.key")),
  ]
    .join("");
  await Deno.writeTextFile(at("broker.pem"), keystore, { mode: 0o600 });
  for (
    const name of [
      "ca.csr",
      "broker.csr",
      "client.csr",
      "client-plain.key",
      "broker.key",
      "broker.crt",
    ]
  ) {
    await Deno.remove(at(name));
  }
  for (const name of [...Object.keys(EXTENSIONS)]) await Deno.remove(at(name));
  for (const name of ["ca.key", "broker.pem", "client.key"]) await Deno.chmod(at(name), 0o600);
  return {
    ca: at("ca.pem"),
    caKey: at("ca.key"),
    brokerKeystore: at("broker.pem"),
    clientCert: at("client.pem"),
    clientKey: at("client.key"),
  };
}

async function openssl(step: OpensslStep, passphrase: string): Promise<void> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("openssl", {
      args: step.args,
      stdin: step.stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    notInstalled(
      error,
      "--secure needs openssl on PATH to make its certificates: install it (e.g. apt-get install openssl)",
    );
  }
  if (step.stdin === "passphrase") {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(passphrase + "\n"));
    await writer.close();
  }
  const { code, stderr } = await child.output();
  if (code !== 0) {
    throw new FatalError(
      `openssl ${step.args[0]} failed (exit ${code}): ${new TextDecoder().decode(stderr).trim()}`,
    );
  }
}
