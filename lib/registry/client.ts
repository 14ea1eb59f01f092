/**
 * The few calls of the Confluent Schema Registry REST API we make, over
 * `fetch`: register a subject's schema, and fetch a schema by id. Every
 * failure is a {@linkcode PipelineError} that says whether to retry: a
 * registry that does not answer, or answers 5xx, is retriable; its refusals
 * (409 incompatible, 422 invalid, 401/403) are not, and keep its own words.
 *
 * `@kafkajs/confluent-schema-registry` was weighed and not taken: its
 * `decode()` is async, slices each record and builds a new Avro resolver per
 * record, its retries are its own (mappersmith) rather than our policy, and
 * it brings ajv, protobufjs and mappersmith for the two calls we need.
 *
 * @module
 */
import { redactUrl } from "../cli/redact_url.ts";
import { PipelineError } from "../errors.ts";
import type { RegistryAuth, RegistryConnection } from "./config.ts";

/** The media type of the Confluent API. */
const MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
/** How long one request may take. */
const REQUEST_TIMEOUT_MS = 5000;

/**
 * The `Authorization` header value for `auth`: the one place the registry
 * password is revealed.
 *
 * @example
 * ```ts
 * import { basicAuthHeader } from "./client.ts";
 * import { Secret } from "../kafka/secret.ts";
 * basicAuthHeader({ user: "a", password: new Secret("b") }); // "Basic YTpi"
 * ```
 */
export function basicAuthHeader(auth: RegistryAuth): string {
  const bytes = new TextEncoder().encode(`${auth.user}:${auth.password.reveal()}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/** The registry did not answer, or answered with a server error: worth another try. */
export class RegistryUnavailableError extends PipelineError {
  override name = "RegistryUnavailableError";
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, { ...options, retriable: true });
  }
}

/** The registry answered, and said no. */
export class RegistryError extends PipelineError {
  override name = "RegistryError";
  /** The HTTP status. */
  readonly status: number;
  /** The registry's `error_code` (e.g. 40403 for an unknown schema id, 409 incompatible). */
  readonly code?: number;
  /** The registry's own `message`. */
  readonly registryMessage: string;

  constructor(status: number, code: number | undefined, registryMessage: string, what: string) {
    // An unknown id may be a registry that has not caught up yet: retried,
    // and only after the retries a deserialization failure.
    super(`${what}: ${registryMessage} (HTTP ${status}${code ? `, error ${code}` : ""})`, {
      retriable: status === 404 || status === 429,
    });
    this.status = status;
    this.code = code;
    this.registryMessage = registryMessage;
  }
}

/** The calls a producer and a consumer make; tests fake it. */
export interface SchemaRegistry {
  /** Registers `schema` under `subject` (or finds it there); its global id. */
  register(subject: string, schema: string): Promise<number>;
  /** The schema text of `id`. */
  schemaById(id: number): Promise<string>;
}

/**
 * A {@linkcode SchemaRegistry} over HTTP.
 *
 * @example
 * ```ts ignore
 * import { HttpSchemaRegistry } from "./client.ts";
 * const registry = new HttpSchemaRegistry({ url: "http://127.0.0.1:8081/apis/ccompat/v7" });
 * const id = await registry.register("orders-value", schemaText);
 * ```
 */
export class HttpSchemaRegistry implements SchemaRegistry {
  readonly #connection: RegistryConnection;
  readonly #fetch: typeof fetch;
  /**
   * The URL for messages. `registryConnection()` strips user info, but a
   * connection built by hand may keep it, and fetch accepts it as credentials.
   */
  readonly #shownUrl: string;

  /** `fetchFn` is for tests. @default {globalThis.fetch} */
  constructor(connection: RegistryConnection, fetchFn: typeof fetch = fetch) {
    this.#connection = connection;
    this.#fetch = fetchFn;
    this.#shownUrl = redactUrl(connection.url);
  }

  /** `POST /subjects/{subject}/versions`. */
  async register(subject: string, schema: string): Promise<number> {
    const body = await this.#call(
      "POST",
      `/subjects/${encodeURIComponent(subject)}/versions`,
      JSON.stringify({ schema, schemaType: "AVRO" }),
      `the registry refused the schema for subject ${subject}`,
    );
    return idOf(body, "register");
  }

  /** `GET /schemas/ids/{id}`. */
  async schemaById(id: number): Promise<string> {
    const body = await this.#call(
      "GET",
      `/schemas/ids/${id}`,
      undefined,
      `the registry has no schema with id ${id}`,
    ) as { schema?: unknown; schemaType?: unknown };
    if (body.schemaType !== undefined && body.schemaType !== "AVRO") {
      throw new RegistryError(200, undefined, `schema ${id} is ${body.schemaType}, not AVRO`, "");
    }
    if (typeof body.schema !== "string") {
      throw new RegistryUnavailableError(`the registry answered schema ${id} without its text`);
    }
    return body.schema;
  }

  async #call(method: string, path: string, body: string | undefined, what: string) {
    const url = `${this.#connection.url}${path}`;
    const shown = `${this.#shownUrl}${path}`;
    const headers: Record<string, string> = { Accept: MEDIA_TYPE };
    if (body !== undefined) headers["Content-Type"] = MEDIA_TYPE;
    if (this.#connection.auth) headers.Authorization = basicAuthHeader(this.#connection.auth);
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new RegistryUnavailableError(
        `the schema registry at ${this.#shownUrl} does not answer: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
    const text = await response.text();
    if (response.ok) return parseJson(text, shown);
    if (response.status >= 500 || response.status === 408) {
      throw new RegistryUnavailableError(
        `the schema registry at ${this.#shownUrl} answered HTTP ${response.status}`,
      );
    }
    const error = parseJson(text, shown, true) as { error_code?: number; message?: string };
    throw new RegistryError(
      response.status,
      error.error_code,
      error.message ?? (text.trim() || response.statusText),
      what,
    );
  }
}

/** `text` as JSON; `shownUrl` (user info redacted) names the call when it is not. */
function parseJson(text: string, shownUrl: string, lenient = false): Record<string, unknown> {
  try {
    return JSON.parse(text);
  } catch {
    if (lenient) return {};
    throw new RegistryUnavailableError(`the registry at ${shownUrl} answered with no JSON`);
  }
}

function idOf(body: Record<string, unknown>, call: string): number {
  if (typeof body.id !== "number") {
    throw new RegistryUnavailableError(`the registry's ${call} answer has no id`);
  }
  return body.id;
}
