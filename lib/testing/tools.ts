/**
 * Tests that need a tool from outside the project (Chromium, Prometheus, a
 * Docker engine, Python): where the tool is missing they are ignored with
 * one line saying what to install, except under CI (`CI` set), where a
 * missing tool must fail the run rather than shrink it.
 *
 * @module
 */

import { hasCommand } from "../cli/command.ts";

export { hasCommand };

const seen = new Map<string, boolean>();

/** Whether a Docker engine answers `docker info`. */
export function dockerRuns(): boolean {
  const cached = seen.get("docker engine");
  if (cached !== undefined) return cached;
  let runs = false;
  if (hasCommand("docker")) {
    try {
      runs = new Deno.Command("docker", {
        args: ["info", "--format", "{{.ServerVersion}}"],
        stdout: "null",
        stderr: "null",
      }).outputSync().code === 0;
    } catch {
      runs = false;
    }
  }
  seen.set("docker engine", runs);
  return runs;
}

/** Whether the Docker engine holds `image` already (nothing is pulled to find out). */
export function dockerImagePresent(image: string): boolean {
  if (!dockerRuns()) return false;
  try {
    return new Deno.Command("docker", {
      args: ["image", "inspect", "--format", "{{.Id}}", image],
      stdout: "null",
      stderr: "null",
    }).outputSync().code === 0;
  } catch {
    return false;
  }
}

/** What a test needs, and how to get it. */
export interface Requirement {
  /** What is missing, e.g. `chromium`. */
  name: string;
  available: boolean;
  /** How to install it, e.g. `apt-get install -y chromium`. */
  install: string;
}

const told = new Set<string>();

/**
 * `Deno.test` options that ignore the test where a requirement is missing,
 * printing once what to install; under CI nothing is ignored, so a missing
 * tool fails the test that needs it.
 *
 * @example
 * ```ts
 * import { hasCommand, needs } from "./tools.ts";
 * Deno.test({
 *   name: "the dashboard renders in Chromium",
 *   ...needs({ name: "chromium", available: hasCommand("chromium"), install: "apt-get install -y chromium" }),
 *   fn() {},
 * });
 * ```
 */
export function needs(...requirements: Requirement[]): { ignore: boolean } {
  const missing = requirements.filter((r) => !r.available);
  if (missing.length === 0 || Deno.env.get("CI")) return { ignore: false };
  for (const r of missing) {
    if (told.has(r.name)) continue;
    told.add(r.name);
    console.error(`note: tests that need ${r.name} are ignored here; install it: ${r.install}`);
  }
  return { ignore: true };
}
