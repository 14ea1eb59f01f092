/**
 * Authorization denials in one line that names the operation and the
 * resource: Kafka's error codes say only which kind of resource was refused
 * (topic, group, cluster), so the code that made the request says what it
 * was doing, and {@linkcode guard} combines the two. A denial is never
 * retried: another attempt gets the same answer until someone changes the
 * ACLs. Pure: no Kafka import.
 *
 * @module
 */
import { FatalError } from "../errors.ts";

/** The kinds of resource a Kafka ACL protects that our programs touch. */
export type ResourceType = "topic" | "group" | "cluster";

const DENIAL_TYPES: Record<string, ResourceType> = {
  TOPIC_AUTHORIZATION_FAILED: "topic",
  GROUP_AUTHORIZATION_FAILED: "group",
  CLUSTER_AUTHORIZATION_FAILED: "cluster",
};

/** An operation on a resource, in Kafka's ACL words: `Read` on group `order-processors`. */
export interface Access {
  /** Kafka's ACL operation: `Read`, `Write`, `Create`, `Describe`, `IdempotentWrite`. */
  operation: string;
  resource: ResourceType;
  /** The topic(s) or group; none for the cluster. */
  name?: string;
}

/** What a request may be refused, by the kind of resource refused. */
export type Accesses = Partial<Record<ResourceType, Access>>;

/** The refusal of an {@linkcode Access}: ends the program with one line, exit code 1. */
export class AccessDeniedError extends FatalError {
  override name = "AccessDeniedError";
  /** What was refused. */
  readonly access: Access;

  constructor(access: Access, message: string, options?: ErrorOptions) {
    super(message, options);
    this.access = access;
  }
}

/**
 * The kind of resource an error says was refused, looking through kafkajs's
 * wrappers (`cause`, `originalError`) and aggregates (`errors`): a protocol
 * error's type, or kafkajs's `KafkaJSGroupCoordinatorNotFound`, which is
 * what it makes of a broker refusing to name a group's coordinator to a
 * principal without access to the group. `undefined` when it is no denial.
 *
 * @example
 * ```ts
 * import { deniedResource } from "./access.ts";
 * deniedResource(Object.assign(new Error("x"), { type: "TOPIC_AUTHORIZATION_FAILED" })); // "topic"
 * deniedResource(new Error("Connection timeout")); // undefined
 * ```
 */
export function deniedResource(error: unknown, depth = 0): ResourceType | undefined {
  if (!(error instanceof Error) || depth > 6) return undefined;
  const type = (error as { type?: unknown }).type;
  if (typeof type === "string" && type in DENIAL_TYPES) return DENIAL_TYPES[type];
  if (error.name === "KafkaJSGroupCoordinatorNotFound") return "group";
  for (const inner of (error as { errors?: unknown }).errors as unknown[] ?? []) {
    const found = deniedResource(inner, depth + 1);
    if (found !== undefined) return found;
  }
  const next = (error as { originalError?: unknown }).originalError ??
    (error as { cause?: unknown }).cause;
  return deniedResource(next, depth + 1);
}

/**
 * The line for a refused `access`, naming who was refused when known.
 *
 * @example
 * ```ts
 * import { accessDeniedLine } from "./access.ts";
 * accessDeniedLine({ operation: "Read", resource: "group", name: "g1" }, "user app (PLAIN)");
 * // "not authorized: user app (PLAIN) may not Read group g1"
 * accessDeniedLine({ operation: "IdempotentWrite", resource: "cluster" });
 * // "not authorized: this client may not IdempotentWrite the cluster (it has Write on no topic)"
 * ```
 */
export function accessDeniedLine(access: Access, identity?: string): string {
  const what = access.resource === "cluster"
    ? "the cluster"
    : `${access.resource} ${access.name ?? "(unnamed)"}`;
  // Since Kafka 3.0 (KIP-679) Write on any topic also allows an idempotent producer.
  const why = access.resource === "cluster" && access.operation === "IdempotentWrite"
    ? " (it has Write on no topic)"
    : "";
  return `not authorized: ${identity ?? "this client"} may not ${access.operation} ${what}${why}`;
}

/**
 * `error` as an {@linkcode AccessDeniedError} when it is a denial: the
 * access refused is the one `accesses` names for the kind of resource
 * refused, or `Use` of that kind when it names none. `undefined` otherwise.
 *
 * @example
 * ```ts
 * import { asAccessDenied } from "./access.ts";
 * const denied = Object.assign(new Error("x"), { type: "GROUP_AUTHORIZATION_FAILED" });
 * asAccessDenied(denied, { group: { operation: "Read", resource: "group", name: "g" } })?.message;
 * // "not authorized: this client may not Read group g"
 * ```
 */
export function asAccessDenied(
  error: unknown,
  accesses: Accesses,
  identity?: string,
): AccessDeniedError | undefined {
  if (error instanceof AccessDeniedError) return error;
  const resource = deniedResource(error);
  if (resource === undefined) return undefined;
  const access = accesses[resource] ?? { operation: "use", resource };
  return new AccessDeniedError(access, accessDeniedLine(access, identity), { cause: error });
}

/**
 * Runs `request`, turning a denial into an {@linkcode AccessDeniedError}
 * (see {@linkcode asAccessDenied}); other errors pass unchanged.
 *
 * @example
 * ```ts
 * import { guard } from "./access.ts";
 * await guard({}, undefined, () => Promise.resolve(7)); // 7
 * ```
 */
export async function guard<T>(
  accesses: Accesses,
  identity: string | undefined,
  request: () => Promise<T>,
): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw asAccessDenied(error, accesses, identity) ?? error;
  }
}
