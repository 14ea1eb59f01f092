/**
 * The Docker CLI calls of the image build: is an engine there, what does an
 * image's label say, and `docker import` of a root filesystem streamed by
 * `tar`, so the image is made without a registry or a Dockerfile base.
 *
 * @module
 */
import { FatalError } from "../errors.ts";
import { commandText } from "./_util.ts";

/** How to get the Docker CLI and engine on Debian. */
export const INSTALL_DOCKER = "install docker.io (apt-get install -y docker.io)";

/**
 * Returns once a Docker engine answers `docker info`. Throws a
 * {@linkcode FatalError} of one line saying what to install or start.
 */
export async function requireDocker(): Promise<void> {
  const info = await commandText(
    "docker",
    ["info", "--format", "{{.ServerVersion}}"],
    INSTALL_DOCKER,
  );
  if (!info.success) {
    const said = info.stderr.trim().split("\n")[0] ?? "";
    throw new FatalError(
      `no Docker engine answers (${said}): start one (dockerd, or systemctl start docker)`,
    );
  }
}

/** The value of `label` on image `ref`, or `undefined` when there is no such image or label. */
export async function imageLabel(ref: string, label: string): Promise<string | undefined> {
  const inspect = await commandText(
    "docker",
    ["image", "inspect", "--format", `{{ index .Config.Labels ${JSON.stringify(label)} }}`, ref],
    INSTALL_DOCKER,
  );
  const value = inspect.stdout.trim();
  return inspect.success && value !== "" && value !== "<no value>" ? value : undefined;
}

/** The id and size of image `ref`. */
export async function imageInfo(ref: string): Promise<{ id: string; sizeBytes: number }> {
  const inspect = await commandText(
    "docker",
    ["image", "inspect", "--format", "{{.Id}} {{.Size}}", ref],
    INSTALL_DOCKER,
  );
  if (!inspect.success) {
    throw new FatalError(`docker image inspect ${ref}: ${inspect.stderr.trim()}`);
  }
  const [id, size] = inspect.stdout.trim().split(" ");
  return { id, sizeBytes: Number(size) };
}

/**
 * The `docker import --change` instructions of the image: its environment,
 * command and labels. No `HEALTHCHECK`: compose declares its own, and
 * Testcontainers waits for a log line.
 *
 * @example
 * ```ts
 * import { importChanges } from "./docker.ts";
 * importChanges({ PATH: "/bin" }, ["/run"], { a: "b" });
 * // ["ENV PATH=/bin", 'CMD ["/run"]', 'LABEL "a"="b"']
 * ```
 */
export function importChanges(
  env: Record<string, string>,
  cmd: readonly string[],
  labels: Record<string, string>,
): string[] {
  return [
    ...Object.entries(env).map(([name, value]) => `ENV ${name}=${value}`),
    `CMD ${JSON.stringify(cmd)}`,
    ...Object.entries(labels).map(([name, value]) =>
      `LABEL ${JSON.stringify(name)}=${JSON.stringify(value)}`
    ),
  ];
}

/**
 * Streams the directory `root` as a tar archive (owned by root) into
 * `docker import` with `changes`, tagged `ref`. Throws a
 * {@linkcode FatalError} with either command's error output when one fails.
 */
export async function importRootfs(root: string, changes: string[], ref: string): Promise<void> {
  const tar = new Deno.Command("tar", {
    args: [
      "--create",
      "--file=-",
      "--directory",
      root,
      "--numeric-owner",
      "--owner=0",
      "--group=0",
      ".",
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const docker = new Deno.Command("docker", {
    args: ["import", ...changes.flatMap((change) => ["--change", change]), "-", ref],
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const [, tarStatus, tarErr, dockerStatus, dockerErr] = await Promise.all([
    // A failing side breaks the pipe; its status and error output below say why.
    tar.stdout.pipeTo(docker.stdin).catch(() => {}),
    tar.status,
    new Response(tar.stderr).text(),
    docker.status,
    new Response(docker.stderr).text(),
  ]);
  if (!tarStatus.success) throw new FatalError(`tar failed: ${tarErr.trim()}`);
  if (!dockerStatus.success) throw new FatalError(`docker import failed: ${dockerErr.trim()}`);
}

/** Tags image `source` as `target`. */
export async function tagImage(source: string, target: string): Promise<void> {
  const tag = await commandText("docker", ["tag", source, target], INSTALL_DOCKER);
  if (!tag.success) throw new FatalError(`docker tag ${target}: ${tag.stderr.trim()}`);
}

/**
 * Removes image `id` when nothing needs it any more: no tag and no container
 * (`docker image rm` without `--force` refuses otherwise). Returns whether
 * it did.
 */
export async function removeUnusedImage(id: string): Promise<boolean> {
  return (await commandText("docker", ["image", "rm", id], INSTALL_DOCKER)).success;
}
