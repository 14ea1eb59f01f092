/**
 * Small deterministic randomness: a seeded PRNG for the order generator and a
 * stateless hash for decisions that must not depend on processing order
 * (simulated failures must be the same after a crash and a replay).
 *
 * @module
 */

/**
 * Returns a mulberry32 generator: fast, seedable, uniform in [0, 1).
 *
 * @example
 * ```ts
 * import { seededRandom } from "./random.ts";
 * const next = seededRandom(7);
 * next() === seededRandom(7)(); // true
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Hashes the parts to a uniform number in [0, 1) (FNV-1a, then a mulberry32
 * finaliser). The same parts always give the same number.
 */
export function hashUnit(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  const text = parts.join("\u0000");
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return seededRandom(h)();
}
