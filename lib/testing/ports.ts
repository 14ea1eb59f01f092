/**
 * Ports for tests that start brokers of their own. Our range (39200-39299)
 * lies inside Linux's ephemeral range (32768-60999), so the source port of
 * any client's connection can sit on a port a cluster is about to bind:
 * such a test takes the first block of its candidates that is free now.
 *
 * @module
 */

/** Whether nothing listens on, or holds, `port` on 127.0.0.1 right now. */
export function portFree(port: number): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) return false;
    throw error;
  }
}

/**
 * The first of `bases` whose `size` ports from it are all free; throws a
 * `RangeError` naming the candidates when none is.
 *
 * @example
 * ```ts ignore
 * import { freePortBlock } from "./ports.ts";
 * const port = freePortBlock([39210, 39230], 6); // nodes on port..port+2, controllers after
 * ```
 */
export function freePortBlock(bases: readonly number[], size: number): number {
  for (const base of bases) {
    if (Array.from({ length: size }, (_, i) => base + i).every(portFree)) return base;
  }
  throw new RangeError(
    `no block of ${size} free ports from any of ${bases.join(", ")}: something holds them`,
  );
}

/** `count` distinct ports nothing listens on right now, chosen by the system. */
export function freePorts(count: number): number[] {
  const listeners = Array.from(
    { length: count },
    () => Deno.listen({ hostname: "127.0.0.1", port: 0 }),
  );
  for (const listener of listeners) listener.close();
  return listeners.map((listener) => (listener.addr as Deno.NetAddr).port);
}
