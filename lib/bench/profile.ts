/**
 * Reads a V8 CPU profile (`deno run --cpu-prof` writes one as
 * `*.cpuprofile`) and sums the self time of each function, to say where a
 * run spent its time. Pure: the caller reads the file.
 *
 * @module
 */
import { markdownTable } from "./report.ts";

/** The parts of a `.cpuprofile` (Chrome DevTools format) that self time needs. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
  }[];
  /** Microseconds. */
  startTime: number;
  /** Microseconds. */
  endTime: number;
  /** The node id on the stack top at each sample. */
  samples: number[];
  /** Microseconds since the previous sample, one per sample. */
  timeDeltas: number[];
}

/** One function's share of a profile. */
export interface ProfileEntry {
  /** `name (file:line)`, with npm and project paths shortened. */
  fn: string;
  /** Self time in milliseconds. */
  selfMs: number;
  /** Self time as a share of the profile's duration, 0..1. */
  share: number;
}

/** Options of {@linkcode topSelfTime}. */
export interface TopSelfTimeOptions {
  /** How many functions to return. @default {15} */
  limit?: number;
  /** Leave out `(idle)`, `(program)` and `(garbage collector)`. @default {false} */
  excludeIdle?: boolean;
}

/**
 * The functions with the most self time in `profile`, largest first. A
 * sample's time is the gap to the next sample, as DevTools counts it; frames
 * of the same function at the same place are added together.
 *
 * @example
 * ```ts
 * import { topSelfTime } from "./profile.ts";
 * const profile = {
 *   nodes: [
 *     { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1 } },
 *     { id: 2, callFrame: { functionName: "encode", url: "file:///app/lib/avro.ts", lineNumber: 9 } },
 *   ],
 *   startTime: 0,
 *   endTime: 3000,
 *   samples: [2, 2, 1],
 *   timeDeltas: [0, 1000, 1000],
 * };
 * topSelfTime(profile, { limit: 1 }); // [{ fn: "encode (lib/avro.ts:10)", selfMs: 2, share: 2 / 3 }]
 * ```
 */
export function topSelfTime(profile: CpuProfile, options: TopSelfTimeOptions = {}): ProfileEntry[] {
  const { limit = 15, excludeIdle = false } = options;
  const names = new Map<number, string>();
  for (const node of profile.nodes) names.set(node.id, frameName(node.callFrame));
  const selfUs = new Map<string, number>();
  const durations = sampleDurations(profile);
  for (let i = 0; i < profile.samples.length; i++) {
    const name = names.get(profile.samples[i]) ?? "(unknown)";
    selfUs.set(name, (selfUs.get(name) ?? 0) + durations[i]);
  }
  const totalUs = Math.max(1, profile.endTime - profile.startTime);
  return [...selfUs]
    .filter(([fn]) => !(excludeIdle && IDLE.has(fn)))
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([fn, us]) => ({ fn, selfMs: us / 1000, share: us / totalUs }));
}

/** Self time added up by who owns the code, largest first. */
export interface OwnerEntry {
  /** `kafkajs`, `avsc`, …, `ours`, `node compat`, `deno runtime` or `(idle)`-style pseudo frames. */
  owner: string;
  selfMs: number;
  share: number;
}

/**
 * Self time per owner: each npm package by name, the project's own files as
 * `ours`, Deno's `node:` compatibility layer (its Buffer, streams, timers) as
 * `node compat`, the rest of Deno (`ext:` modules and native ops) as
 * `deno runtime`, and V8's `(idle)`, `(garbage collector)` and `(program)`
 * as they are.
 */
export function selfTimeByOwner(profile: CpuProfile): OwnerEntry[] {
  const owners = new Map<number, string>();
  for (const node of profile.nodes) owners.set(node.id, ownerOf(node.callFrame));
  const selfUs = new Map<string, number>();
  const durations = sampleDurations(profile);
  for (let i = 0; i < profile.samples.length; i++) {
    const owner = owners.get(profile.samples[i]) ?? "(unknown)";
    selfUs.set(owner, (selfUs.get(owner) ?? 0) + durations[i]);
  }
  const totalUs = Math.max(1, profile.endTime - profile.startTime);
  return [...selfUs]
    .sort((a, b) => b[1] - a[1])
    .map(([owner, us]) => ({ owner, selfMs: us / 1000, share: us / totalUs }));
}

/**
 * Who owns a call frame's code; see {@linkcode selfTimeByOwner}.
 *
 * @example
 * ```ts
 * import { ownerOf } from "./profile.ts";
 * ownerOf({ functionName: "f", url: "file:///x/registry.npmjs.org/kafkajs/2.2.4/src/a.js" }); // "kafkajs"
 * ```
 */
export function ownerOf(frame: { functionName: string; url: string }): string {
  const { url, functionName } = frame;
  const npm = /\/registry\.npmjs\.org\/([^/]+)\//.exec(url);
  if (npm) return npm[1];
  if (url.startsWith("file://")) return "ours";
  if (url.startsWith("ext:deno_node/") || url.startsWith("node:")) return "node compat";
  if (url === "" && functionName.startsWith("(")) return functionName;
  return "deno runtime";
}

const IDLE = new Set(["(idle)", "(program)", "(garbage collector)"]);

/**
 * How long each sample lasted, in microseconds: until the next sample, as
 * DevTools counts it, and the last one until the profile ends.
 */
function sampleDurations(profile: CpuProfile): number[] {
  const { samples, timeDeltas } = profile;
  let elapsed = 0;
  for (const delta of timeDeltas) elapsed += delta;
  return samples.map((_, i) =>
    Math.max(
      0,
      i + 1 < samples.length ? timeDeltas[i + 1] : profile.endTime - profile.startTime - elapsed,
    )
  );
}

/**
 * `name (file:line)` for a call frame, 1-based line, with the npm cache
 * prefix cut to `package/path` and a `file://` path cut below the last
 * project folder we know (`lib/`, or the file name for top-level scripts).
 */
export function frameName(
  frame: { functionName: string; url: string; lineNumber: number },
): string {
  const name = frame.functionName || "(anonymous)";
  if (frame.url === "") return name;
  return `${name} (${shortUrl(frame.url)}:${frame.lineNumber + 1})`;
}

function shortUrl(url: string): string {
  const npm = /\/registry\.npmjs\.org\/([^/]+)\/[^/]+\/(.*)$/.exec(url);
  if (npm) return `${npm[1]}/${npm[2]}`;
  const lib = /\/(lib\/[^/]+)$/.exec(url);
  if (lib) return lib[1];
  return url.replace(/^.*\//, "");
}

/**
 * What `deno task bench -- --summarize-profile` prints for the profile read
 * from `path`: its length, then self time by owner and the `top` functions
 * with the most self time, as Markdown tables.
 */
export function profileSummary(profile: CpuProfile, path: string, top: number): string {
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const rows = topSelfTime(profile, { limit: top }).map((e) => [
    e.fn,
    e.selfMs.toFixed(0),
    `${(e.share * 100).toFixed(1)}%`,
  ]);
  const owners = selfTimeByOwner(profile).map((e) => [
    e.owner,
    e.selfMs.toFixed(0),
    `${(e.share * 100).toFixed(1)}%`,
  ]);
  return [
    `${path}: ${(totalMs / 1000).toFixed(1)} s profiled`,
    "",
    ...markdownTable(["owner of the code", "self ms", "share"], owners),
    "",
    ...markdownTable(["function (file:line)", "self ms", "share"], rows),
  ].join("\n");
}
