/**
 * A password, key or passphrase that must never be printed: however it is
 * turned into text (template string, `JSON.stringify`, `console.log`, Deno's
 * or Node's inspect), it reads `[redacted]`. Only {@linkcode Secret.reveal}
 * hands out the value, and only the code that hands it over calls it: the
 * Kafka client's security options and the schema registry's HTTP client.
 *
 * @module
 */

/** What every rendering of a {@linkcode Secret} shows. */
export const REDACTED = "[redacted]";

/**
 * A value that renders as `[redacted]` everywhere.
 *
 * @example
 * ```ts
 * import { Secret } from "./secret.ts";
 * const password = new Secret("hunter2");
 * `${password}`; // "[redacted]"
 * JSON.stringify({ password }); // '{"password":"[redacted]"}'
 * password.reveal(); // "hunter2"
 * ```
 */
export class Secret {
  // A private field: inspectors that walk an object's own properties never see it.
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The value itself, for the one place that hands it to kafkajs or node:tls. */
  reveal(): string {
    return this.#value;
  }

  /** `[redacted]`. */
  toString(): string {
    return REDACTED;
  }

  /** `[redacted]`, so a secret inside an object survives `JSON.stringify` redacted. */
  toJSON(): string {
    return REDACTED;
  }

  /** Deno's `console.log` and `Deno.inspect`. */
  [Symbol.for("Deno.customInspect")](): string {
    return REDACTED;
  }

  /** `node:util` `inspect`, which kafkajs or a dependency might call. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return REDACTED;
  }
}
