/**
 * The Java client's `sasl.jaas.config`, read for the two login modules a
 * properties file can carry credentials in: PLAIN (what Confluent Cloud's
 * `client.properties` holds, with an API key and secret) and SCRAM. Other
 * modules are refused with the reason. Errors never show the value: it
 * holds a password.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { Secret } from "./secret.ts";

/** The credentials of a PLAIN or SCRAM login module. */
export interface JaasLogin {
  /** Which family of mechanism the module serves. */
  family: "PLAIN" | "SCRAM";
  username: string;
  password: Secret;
}

const MODULES: Record<string, JaasLogin["family"]> = {
  "org.apache.kafka.common.security.plain.PlainLoginModule": "PLAIN",
  "org.apache.kafka.common.security.scram.ScramLoginModule": "SCRAM",
};

/** Login modules people meet, and why each cannot work here. */
const REFUSED: Record<string, string> = {
  "com.sun.security.auth.module.Krb5LoginModule":
    "Kerberos (GSSAPI) is not supported: kafkajs has no GSSAPI mechanism",
  "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule":
    "OAUTHBEARER is not supported: kafkajs needs a token callback, which a properties file cannot supply",
  "software.amazon.msk.auth.iam.IAMLoginModule":
    "AWS MSK IAM is not supported: kafkajs's 'aws' mechanism is not MSK IAM; use the cluster's SASL/SCRAM listener (SCRAM-SHA-512)",
};

const CONTROL_FLAGS = new Set(["required", "requisite", "sufficient", "optional"]);

/**
 * Reads `<LoginModule> required username="…" password="…";` (values in
 * double or single quotes, or bare).
 *
 * @example
 * ```ts
 * import { parseJaasConfig } from "./jaas.ts";
 * const login = parseJaasConfig(
 *   "org.apache.kafka.common.security.plain.PlainLoginModule required username='KEY' password='SECRET';",
 * );
 * [login.family, login.username, `${login.password}`]; // ["PLAIN", "KEY", "[redacted]"]
 * ```
 */
export function parseJaasConfig(value: string): JaasLogin {
  const tokens = tokenize(value);
  const module = tokens[0] ?? "";
  if (module in REFUSED) throw new UsageError(`sasl.jaas.config: ${REFUSED[module]}`);
  const family = MODULES[module];
  if (family === undefined) {
    const named = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/.test(module) ? ` ${module}` : "";
    throw new UsageError(
      `sasl.jaas.config names an unsupported login module${named}: use ` +
        "org.apache.kafka.common.security.plain.PlainLoginModule or " +
        "org.apache.kafka.common.security.scram.ScramLoginModule",
    );
  }
  if (!CONTROL_FLAGS.has(tokens[1] ?? "")) {
    throw new UsageError("sasl.jaas.config: the login module must be followed by 'required'");
  }
  const options = new Map<string, string>();
  for (const token of tokens.slice(2)) {
    const eq = token.indexOf("=");
    if (eq <= 0) throw new UsageError(`sasl.jaas.config: expected option=value after the flag`);
    options.set(token.slice(0, eq), unquote(token.slice(eq + 1)));
  }
  const username = options.get("username");
  const password = options.get("password");
  if (!username) throw new UsageError("sasl.jaas.config has no username");
  if (!password) throw new UsageError("sasl.jaas.config has no password");
  return { family, username, password: new Secret(password) };
}

/**
 * Splits on whitespace outside quotes and drops the final `;`. Throws when
 * a quote is not closed or the `;` is missing.
 */
function tokenize(value: string): string[] {
  const text = value.trim();
  if (!text.endsWith(";")) throw new UsageError("sasl.jaas.config must end with ';'");
  const tokens: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (const ch of text.slice(0, -1)) {
    if (quote !== undefined) {
      current += ch;
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      current += ch;
      quote = ch;
    } else if (/\s/.test(ch)) {
      if (current !== "") tokens.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  if (quote !== undefined) throw new UsageError("sasl.jaas.config has an unclosed quote");
  if (current !== "") tokens.push(current);
  return tokens;
}

function unquote(value: string): string {
  const q = value[0];
  return (q === '"' || q === "'") && value.endsWith(q) && value.length >= 2
    ? value.slice(1, -1)
    : value;
}
