/**
 * Which Kafka releases the launcher starts: the default one, the oldest one,
 * and how a version string is read and checked.
 *
 * @module
 */

/**
 * The Kafka version started when none is given: the newest 4.x on Maven
 * Central, with which the whole test suite passes under kafkajs 2.2.4. Its
 * `kafka-tools` is not on Maven Central, so the bench's Java perf tools fall
 * back to the newest 4.x tools release (see `resolveKafkaTools` in
 * `resolve.ts`).
 */
export const DEFAULT_KAFKA_VERSION = "4.4.0";

/** The oldest release we start: 3.9 is the first with every tool and setting used here. */
export const OLDEST_KAFKA_VERSION: readonly [number, number, number] = [3, 9, 0];

/**
 * The major version of a Kafka release.
 *
 * @example
 * ```ts
 * import { majorVersion } from "./version.ts";
 * majorVersion("3.9.1"); // 3
 * ```
 */
export function majorVersion(version: string): number {
  return parseVersion(version)[0];
}

/**
 * Throws a {@linkcode RangeError} unless `version` is a release we can start:
 * `major.minor.patch`, 3.9.0 or newer.
 *
 * @example
 * ```ts
 * import { checkKafkaVersion } from "./version.ts";
 * checkKafkaVersion("4.3.1"); // returns
 * ```
 */
export function checkKafkaVersion(version: string): void {
  const parts = parseVersion(version);
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] > OLDEST_KAFKA_VERSION[i]) return;
    if (parts[i] < OLDEST_KAFKA_VERSION[i]) {
      throw new RangeError(
        `Kafka version must be ${
          OLDEST_KAFKA_VERSION.join(".")
        } or newer: current value is ${version}`,
      );
    }
  }
}

function parseVersion(version: string): [number, number, number] {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) {
    throw new RangeError(
      `Kafka version must look like ${DEFAULT_KAFKA_VERSION}: current value is '${version}'`,
    );
  }
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}
