/**
 * The registry launcher's command line, run by `deno task registry`: builds
 * (once) and starts a Confluent-compatible schema registry (Apicurio
 * Registry) in the foreground or detached, stops or reports a detached one,
 * e.g. `deno task registry --detach --port 18081`.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { parseCli, parseNumber } from "../cli/args.ts";
import { aborted, runMain, withShutdownSignal } from "../cli/main.ts";
import { seconds } from "../broker/lines.ts";
import { display } from "../broker/_util.ts";
import { buildRegistry } from "./build.ts";
import { startRegistry } from "./launch.ts";
import {
  APICURIO_VERSION,
  DEFAULT_REGISTRY_PORT,
  DEFAULT_REGISTRY_TIMEOUT_MS,
  registryDataDir,
} from "./options.ts";
import { registryFiles, registryStatus, statusLine, stopRegistry } from "./process.ts";

/** The script's usage text. */
export const USAGE = `Usage: deno task registry [options]

Starts a local Confluent-compatible schema registry (Apicurio Registry
${APICURIO_VERSION}, in-memory storage) on 127.0.0.1 and prints the URL clients
use. The first start builds it from Maven Central into .cache/registry/
(about 2 minutes, 250 MB); needs a JDK 17+ and Maven for that.

Options:
  --port <n>        HTTP port on 127.0.0.1 (default ${DEFAULT_REGISTRY_PORT})
  --data-dir <dir>  pid file and log (default .registry-data/<port>)
  --timeout <s>     seconds to wait for it to answer (default ${DEFAULT_REGISTRY_TIMEOUT_MS / 1000})
  --detach          start in the background, return once it answers
  --stop            stop the registry named by <data-dir>/registry.pid
  --status          report the registry at --port; exit 0 if it answers, 1 if not
  --build           only build (or find the cached build), start nothing
  --help            show this text

Without --detach, --stop, --status or --build it runs in the foreground until
Ctrl-C or SIGTERM.`;

/** What the command line asks for. */
export interface RegistryCommand {
  mode: "help" | "start" | "detach" | "stop" | "status" | "build";
  /** @default {8081} */
  port: number;
  /** @default {".registry-data/<port>"} */
  dataDir: string;
  /** @default {60000} */
  timeoutMs: number;
}

/**
 * Reads and checks the flags; a bad one is a {@linkcode UsageError}.
 *
 * @example
 * ```ts
 * import { parseRegistryArgs } from "./cli.ts";
 * parseRegistryArgs(["--stop", "--port", "18081"]).mode; // "stop"
 * ```
 */
export function parseRegistryArgs(args: string[]): RegistryCommand {
  const { values } = parseCli(args, {
    options: {
      port: { type: "string" },
      "data-dir": { type: "string" },
      timeout: { type: "string" },
      detach: { type: "boolean" },
      stop: { type: "boolean" },
      status: { type: "boolean" },
      build: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  const modes = (["detach", "stop", "status", "build"] as const).filter((mode) => values[mode]);
  if (modes.length > 1) throw new UsageError(`--${modes.join(" and --")} cannot be combined`);
  const port = parseNumber("port", values.port, DEFAULT_REGISTRY_PORT, {
    min: 1,
    max: 65535,
    integer: true,
  });
  const timeoutMs = 1000 *
    parseNumber("timeout", values.timeout, DEFAULT_REGISTRY_TIMEOUT_MS / 1000, { min: 1 });
  return {
    mode: values.help ? "help" : modes[0] ?? "start",
    port,
    dataDir: values["data-dir"] ?? registryDataDir(port),
    timeoutMs,
  };
}

/** Runs the script with `args`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const command = parseRegistryArgs(args);
  switch (command.mode) {
    case "help":
      console.log(USAGE);
      return 0;
    case "build": {
      const build = await buildRegistry({ log: console.log });
      const how = build.cached ? "cached" : `built in ${seconds(build.tookMs)}`;
      console.log(`Apicurio Registry ${APICURIO_VERSION} ${how}: ${display(build.runnerJar)}`);
      return 0;
    }
    case "stop": {
      const stopped = await stopRegistry(command.dataDir);
      console.log(
        stopped === undefined
          ? `no registry running from ${display(command.dataDir)}`
          : `Stopped registry (pid ${stopped.pid}) in ${seconds(stopped.stoppedMs)}` +
            (stopped.killed ? " with SIGKILL" : ""),
      );
      return 0;
    }
    case "status": {
      const status = await registryStatus(command.port, command.dataDir);
      console.log(statusLine(status));
      return status.answers ? 0 : 1;
    }
    default:
      return await start(command);
  }
}

/** Starting, detached or in the foreground. */
async function start(command: RegistryCommand): Promise<number> {
  const detach = command.mode === "detach";
  const status = await registryStatus(command.port, command.dataDir);
  // Detaching is idempotent, so scripts can call it without checking first.
  if (detach && status.answers) {
    console.log(`registry already running: ${status.url}`);
    return 0;
  }
  const registry = await startRegistry({ ...command, detach, log: console.log });
  const log = display(registryFiles(registry.dataDir).log);
  console.log(
    `Schema registry ready in ${seconds(registry.startedMs)} (logs: ${log}); clients use:`,
  );
  console.log(registry.url);
  if (detach) {
    console.log(`Running in the background as pid ${registry.pid}; stop it with --stop`);
    return 0;
  }
  console.log("Press Ctrl-C to stop it.");
  return await withShutdownSignal(async (signal) => {
    const exited = await Promise.race([aborted(signal).then(() => undefined), registry.exited]);
    await registry.stop();
    if (exited !== undefined && exited.code !== 143 && exited.code !== 130) {
      console.log(`registry exited with code ${exited.code}; see ${log}`);
      return 1;
    }
    console.log("Stopped the registry");
    return 0;
  });
}

if (import.meta.main) {
  await runMain(main, USAGE);
}
