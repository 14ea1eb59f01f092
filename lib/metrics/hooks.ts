/**
 * Putting event hooks together: a program prints through its hooks and
 * `/metrics` counts through its own, and a run takes one object of them.
 *
 * @module
 */

/** Any function. */
// deno-lint-ignore no-explicit-any
type Hook = (...args: any[]) => unknown;

/**
 * One hooks object calling, for each hook, every given object's hook of
 * that name in order. The hooks return nothing worth keeping.
 *
 * @example
 * ```ts
 * import { mergeHooks } from "./hooks.ts";
 * const seen: string[] = [];
 * const hooks = mergeHooks<{ line?(t: string): void }>(
 *   { line: (t) => seen.push(`print ${t}`) },
 *   { line: (t) => seen.push(`count ${t}`) },
 * );
 * hooks.line?.("a"); // seen: ["print a", "count a"]
 * ```
 */
export function mergeHooks<T extends object>(...parts: Partial<T>[]): T {
  const byName = new Map<string, Hook[]>();
  for (const part of parts) {
    for (const [name, hook] of Object.entries(part)) {
      if (typeof hook !== "function") continue;
      byName.set(name, [...(byName.get(name) ?? []), hook as Hook]);
    }
  }
  const merged: Record<string, Hook> = {};
  for (const [name, hooks] of byName) {
    merged[name] = hooks.length === 1 ? hooks[0] : (...args) => {
      for (const hook of hooks) hook(...args);
    };
  }
  return merged as T;
}
