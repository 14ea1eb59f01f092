/**
 * A URL as it may be printed: its user info (`https://key:secret@host`, the
 * way Confluent's clients accept registry credentials) replaced by
 * `[redacted]`, read with the WHATWG `URL` parser so that what is hidden is
 * exactly what a client would send as credentials.
 *
 * @module
 */
import { REDACTED } from "../kafka/secret.ts";

/**
 * `url` with its password (or a lone user name, which is often a token)
 * replaced by `[redacted]`; unchanged when it holds no user info. A value
 * that does not parse, or parses with no host (`key:secret@host`, its scheme
 * forgotten), yet holds an `@` is `[redacted]` whole: where its user info
 * ends cannot be told.
 *
 * @example
 * ```ts
 * import { redactUrl } from "./redact_url.ts";
 * redactUrl("https://key:secret@sr.example/v1"); // "https://key:[redacted]@sr.example/v1"
 * redactUrl("https://token@sr.example"); // "https://[redacted]@sr.example/"
 * redactUrl("http://127.0.0.1:8081"); // "http://127.0.0.1:8081"
 * redactUrl("key:secret@sr.example"); // "[redacted]"
 * ```
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.includes("@") ? REDACTED : url;
  }
  if (parsed.username === "" && parsed.password === "") {
    return parsed.host === "" && url.includes("@") ? REDACTED : url;
  }
  const userInfo = parsed.password === "" ? REDACTED : `${parsed.username}:${REDACTED}`;
  parsed.username = "";
  parsed.password = "";
  // Built by hand because the URL class would percent-encode the brackets of `[redacted]`;
  // a URL with user info always has a host, so its href is `scheme://rest`.
  return `${parsed.protocol}//${userInfo}@${parsed.href.slice(parsed.protocol.length + 2)}`;
}
