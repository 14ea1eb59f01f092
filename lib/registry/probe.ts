/**
 * The readiness probe: whether a Confluent-compatible registry answers at a
 * URL, asked the way a client would, without retries.
 *
 * @module
 */

/**
 * Whether `GET <url>/subjects` answers 200 within `timeoutMs`: the call every
 * Confluent-compatible registry serves, and the last Apicurio's start-up
 * enables.
 *
 * @example
 * ```ts ignore
 * import { registryAnswers } from "./probe.ts";
 * await registryAnswers("http://127.0.0.1:8081/apis/ccompat/v7"); // false when none runs
 * ```
 */
export async function registryAnswers(url: string, timeoutMs = 2000): Promise<boolean> {
  try {
    const response = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}
