/**
 * The image's root filesystem, first as a plan (a list of entries: host
 * files, generated texts, directories, links), then staged in a directory
 * that `tar` streams into `docker import`. Nothing comes from a registry:
 * busybox-static and bash from the host, the shared libraries they and the
 * `jlink` runtime need (as `ldd` lists them), and Kafka's jars from the
 * launcher's Maven cache.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { display } from "../broker/_util.ts";
import { IN_IMAGE } from "./options.ts";
import {
  apacheRunScript,
  BROKER_LOG4J2_YAML,
  confluentRunScript,
  defaultServerProperties,
  SYSTEM_FILES,
  TOOLS_LOG4J2_PROPERTIES,
  TOOLS_LOG4J2_YAML,
  topicsScript,
} from "./scripts.ts";
import { commandText, sha256Hex } from "./_util.ts";

/** One thing in the root filesystem, at an absolute `path` inside it. */
export type RootfsEntry =
  | { kind: "dir"; path: string; mode: number }
  | { kind: "file"; path: string; source: string }
  | { kind: "tree"; path: string; source: string }
  | { kind: "text"; path: string; text: string; mode: number }
  | { kind: "symlink"; path: string; target: string };

/** What the root filesystem is made of, found on the host. */
export interface RootfsInputs {
  kafkaVersion: string;
  /** The broker's jar directory and the names in it. */
  libDir: string;
  jars: readonly string[];
  /** The tools' jar directory and the names in it. */
  toolsLibDir: string;
  toolJars: readonly string[];
  /** The `jlink` runtime's directory. */
  runtimeDir: string;
  /** The host's busybox binary and its applet names (`busybox --list`). */
  busybox: string;
  applets: readonly string[];
  /** The host's bash binary. */
  bash: string;
  /** Absolute paths of the host's shared libraries that the binaries need. */
  sharedLibraries: readonly string[];
}

/** How to get the busybox the image is made of. */
export const INSTALL_BUSYBOX = "install busybox-static (apt-get install -y busybox-static)";

/**
 * The entries of the root filesystem for `inputs`, in a stable order. A
 * tool jar of the same name as a broker jar points at the broker's copy, so
 * the two are one hard link in the archive.
 */
export function planRootfs(inputs: RootfsInputs): RootfsEntry[] {
  const dir = (path: string, mode = 0o755): RootfsEntry => ({ kind: "dir", path, mode });
  const text = (path: string, body: string, mode = 0o644): RootfsEntry => ({
    kind: "text",
    path,
    text: body,
    mode,
  });
  const brokerJars = new Set(inputs.jars);
  const applets = inputs.applets.filter((name) => name !== "bash" && name !== "busybox");
  return [
    ...["/dev", "/proc", "/sys", "/root", "/usr/bin"].map((path) => dir(path)),
    dir("/tmp", 0o1777),
    ...[`${IN_IMAGE.data}/data`, IN_IMAGE.config, IN_IMAGE.logs, IN_IMAGE.mounted].map((p) =>
      dir(p)
    ),
    dir("/etc/kafka/secrets"),
    { kind: "file", path: "/bin/busybox", source: inputs.busybox },
    ...applets.map((name): RootfsEntry => ({
      kind: "symlink",
      path: `/bin/${name}`,
      target: "busybox",
    })),
    { kind: "symlink", path: "/usr/bin/env", target: "/bin/busybox" },
    { kind: "file", path: "/bin/bash", source: inputs.bash },
    ...inputs.sharedLibraries.map((lib): RootfsEntry => ({ kind: "file", path: lib, source: lib })),
    ...Object.entries(SYSTEM_FILES).map(([path, body]) => text(path, body)),
    { kind: "tree", path: IN_IMAGE.java, source: inputs.runtimeDir },
    ...inputs.jars.map((name): RootfsEntry => ({
      kind: "file",
      path: `${IN_IMAGE.libs}/${name}`,
      source: join(inputs.libDir, name),
    })),
    ...inputs.toolJars.map((name): RootfsEntry => ({
      kind: "file",
      path: `${IN_IMAGE.toolsLibs}/${name}`,
      source: join(brokerJars.has(name) ? inputs.libDir : inputs.toolsLibDir, name),
    })),
    text(`${IN_IMAGE.defaults}/run`, apacheRunScript(), 0o755),
    text(`${IN_IMAGE.confluent}/run`, confluentRunScript(), 0o755),
    text(`${IN_IMAGE.bin}/kafka-topics.sh`, topicsScript(), 0o755),
    // cp-kafka's name for the same tool.
    { kind: "symlink", path: "/usr/bin/kafka-topics", target: `${IN_IMAGE.bin}/kafka-topics.sh` },
    text(`${IN_IMAGE.defaults}/server.properties`, defaultServerProperties(inputs.kafkaVersion)),
    text(`${IN_IMAGE.defaults}/log4j2.yaml`, BROKER_LOG4J2_YAML),
    text(`${IN_IMAGE.defaults}/tools-log4j2.yaml`, TOOLS_LOG4J2_YAML),
    text(`${IN_IMAGE.defaults}/tools-log4j2.properties`, TOOLS_LOG4J2_PROPERTIES),
  ];
}

/**
 * The absolute paths of the libraries in `ldd`'s output, without the vDSO,
 * those it could not find (a runtime's own, found through `$ORIGIN` at run
 * time), and those under `skipDir`.
 *
 * @example
 * ```ts
 * import { parseLdd } from "./rootfs.ts";
 * parseLdd("\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x7f)\n\t/lib64/ld-linux-x86-64.so.2 (0x7f)\n");
 * // ["/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"]
 * ```
 */
export function parseLdd(output: string, skipDir?: string): string[] {
  const paths: string[] = [];
  for (const line of output.split("\n")) {
    const match = /^\s*(?:\S+ => )?(\/\S+) \(0x[0-9a-f]+\)\s*$/.exec(line);
    if (!match) continue;
    if (skipDir !== undefined && match[1].startsWith(`${skipDir}/`)) continue;
    paths.push(match[1]);
  }
  return paths;
}

/** The host libraries that `binaries` load, sorted, none under `skipDir`. */
export async function sharedLibraries(
  binaries: readonly string[],
  skipDir: string,
): Promise<string[]> {
  const found = new Set<string>();
  for (const binary of binaries) {
    // A static binary makes ldd exit 1 with "not a dynamic executable": no libraries.
    const { stdout } = await commandText("ldd", [binary], "install libc-bin");
    for (const path of parseLdd(stdout, skipDir)) found.add(path);
  }
  return [...found].sort();
}

/** The applets of `busybox`, sorted. */
export async function busyboxApplets(busybox: string): Promise<string[]> {
  const { success, stdout } = await commandText(busybox, ["--list"], INSTALL_BUSYBOX);
  if (!success) throw new Error(`${busybox} --list failed`);
  return stdout.split("\n").map((name) => name.trim()).filter(Boolean).sort();
}

/** The ELF files under `dir` (executables and shared objects), sorted. */
export async function elfFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) found.push(...await elfFiles(path));
    else if (entry.isFile && await isElf(path)) found.push(path);
  }
  return found.sort();
}

async function isElf(path: string): Promise<boolean> {
  using file = await Deno.open(path);
  const head = new Uint8Array(4);
  const read = await file.read(head);
  return read === 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
}

/**
 * A hash of `entries` that changes when anything they hold does: generated
 * texts by content, host files by size and modification time, the runtime by
 * its directory (whose name is its cache key).
 */
export async function rootfsHash(entries: readonly RootfsEntry[]): Promise<string> {
  const lines: string[] = [];
  for (const entry of entries) {
    if (entry.kind === "file") {
      const info = await Deno.stat(entry.source);
      lines.push(`file ${entry.path} ${entry.source} ${info.size} ${info.mtime?.getTime()}`);
    } else if (entry.kind === "text") {
      lines.push(`text ${entry.path} ${entry.mode.toString(8)} ${sha256Hex(entry.text)}`);
    } else if (entry.kind === "dir") {
      lines.push(`dir ${entry.path} ${entry.mode.toString(8)}`);
    } else if (entry.kind === "tree") {
      lines.push(`tree ${entry.path} ${entry.source}`);
    } else {
      lines.push(`symlink ${entry.path} ${entry.target}`);
    }
  }
  return sha256Hex(lines.join("\n"));
}

/**
 * Writes `entries` under `root`. Host files are hard-linked where the file
 * system allows (no copy of 150 MB per build), copied otherwise.
 */
export async function stageRootfs(entries: readonly RootfsEntry[], root: string): Promise<void> {
  for (const entry of entries) {
    const target = join(root, entry.path);
    if (entry.kind === "dir") {
      await Deno.mkdir(target, { recursive: true });
      await Deno.chmod(target, entry.mode);
      continue;
    }
    await Deno.mkdir(dirname(target), { recursive: true });
    if (entry.kind === "file") await linkOrCopy(entry.source, target);
    else if (entry.kind === "tree") await stageTree(entry.source, target);
    else if (entry.kind === "symlink") await Deno.symlink(entry.target, target);
    else {
      await Deno.writeTextFile(target, entry.text);
      await Deno.chmod(target, entry.mode);
    }
  }
}

async function stageTree(source: string, target: string): Promise<void> {
  await Deno.mkdir(target, { recursive: true });
  for await (const entry of Deno.readDir(source)) {
    const from = join(source, entry.name);
    const to = join(target, entry.name);
    if (entry.isDirectory) await stageTree(from, to);
    else if (entry.isSymlink) await Deno.symlink(await Deno.readLink(from), to);
    else await linkOrCopy(from, to);
  }
}

async function linkOrCopy(source: string, target: string): Promise<void> {
  try {
    await Deno.link(await Deno.realPath(source), target);
  } catch {
    // Another file system, or a file we may not link (fs.protected_hardlinks).
    await Deno.copyFile(source, target);
  }
}

/** A one-line description of a plan, for the build's log. */
export function describeRootfs(entries: readonly RootfsEntry[], root: string): string {
  const count = (kind: RootfsEntry["kind"]) => entries.filter((e) => e.kind === kind).length;
  const jars = entries.filter((e) => e.kind === "file" && e.path.endsWith(".jar")).length;
  return `Staging the root filesystem in ${display(root)}: ${jars} jars, ` +
    `${count("symlink")} links, ${count("text")} generated files, ` +
    `${entries.filter((e) => e.kind === "file" && basename(e.path).includes(".so")).length} ` +
    "shared libraries";
}
