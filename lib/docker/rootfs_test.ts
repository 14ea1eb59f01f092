import assert from "node:assert/strict";
import {
  busyboxApplets,
  describeRootfs,
  elfFiles,
  parseLdd,
  planRootfs,
  type RootfsEntry,
  rootfsHash,
  type RootfsInputs,
  sharedLibraries,
  stageRootfs,
} from "./rootfs.ts";
import { hasCommand, needs } from "../testing/tools.ts";

const LDD = `\tlinux-vdso.so.1 (0x00007ffd)
\tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x00007f2a304df000)
\tlibjli.so => /opt/jdk/bin/../lib/libjli.so (0x00007f2a304cf000)
\tlibjvm.so => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f2a302ed000)
\t/lib64/ld-linux-x86-64.so.2 (0x00007f2a30517000)
`;

Deno.test("`parseLdd()` keeps the host's libraries and drops the vDSO, the missing and the skipped", () => {
  assert.deepEqual(parseLdd(LDD, "/opt/jdk/bin/.."), [
    "/lib/x86_64-linux-gnu/libz.so.1",
    "/lib/x86_64-linux-gnu/libc.so.6",
    "/lib64/ld-linux-x86-64.so.2",
  ]);
  assert.deepEqual(parseLdd("\tnot a dynamic executable\n"), []);
});

const INPUTS: RootfsInputs = {
  kafkaVersion: "4.4.0",
  libDir: "/c/kafka/libs",
  jars: ["kafka-clients-4.4.0.jar", "kafka_2.13-4.4.0.jar"],
  toolsLibDir: "/c/tools/libs",
  toolJars: ["kafka-clients-4.4.0.jar", "kafka-tools-4.4.0.jar"],
  runtimeDir: "/c/java/abc",
  busybox: "/bin/busybox",
  applets: ["bash", "sed", "sh"],
  bash: "/bin/bash",
  sharedLibraries: ["/lib/x86_64-linux-gnu/libc.so.6"],
};

Deno.test("`planRootfs()` shares a jar the broker and the tools both hold", () => {
  const jars = planRootfs(INPUTS).filter((e) => e.kind === "file" && e.path.endsWith(".jar"));
  assert.deepEqual(jars, [
    {
      kind: "file",
      path: "/opt/kafka/libs/kafka-clients-4.4.0.jar",
      source: "/c/kafka/libs/kafka-clients-4.4.0.jar",
    },
    {
      kind: "file",
      path: "/opt/kafka/libs/kafka_2.13-4.4.0.jar",
      source: "/c/kafka/libs/kafka_2.13-4.4.0.jar",
    },
    {
      kind: "file",
      path: "/opt/kafka/tools-libs/kafka-clients-4.4.0.jar",
      source: "/c/kafka/libs/kafka-clients-4.4.0.jar",
    },
    {
      kind: "file",
      path: "/opt/kafka/tools-libs/kafka-tools-4.4.0.jar",
      source: "/c/tools/libs/kafka-tools-4.4.0.jar",
    },
  ]);
});

Deno.test("`planRootfs()` links busybox's applets but keeps the real bash", () => {
  const entries = planRootfs(INPUTS);
  const at = (path: string) => entries.filter((e) => e.path === path);
  assert.deepEqual(at("/bin/sh"), [{ kind: "symlink", path: "/bin/sh", target: "busybox" }]);
  assert.deepEqual(at("/bin/bash"), [{ kind: "file", path: "/bin/bash", source: "/bin/bash" }]);
  assert.deepEqual(at("/opt/java"), [{ kind: "tree", path: "/opt/java", source: "/c/java/abc" }]);
  assert.deepEqual(at("/lib/x86_64-linux-gnu/libc.so.6"), [{
    kind: "file",
    path: "/lib/x86_64-linux-gnu/libc.so.6",
    source: "/lib/x86_64-linux-gnu/libc.so.6",
  }]);
  assert.deepEqual(at("/tmp"), [{ kind: "dir", path: "/tmp", mode: 0o1777 }]);
  assert.deepEqual(
    entries.filter((e) => e.kind === "text" && e.mode === 0o755).map((e) => e.path),
    ["/etc/kafka/docker/run", "/etc/confluent/docker/run", "/opt/kafka/bin/kafka-topics.sh"],
  );
  assert.equal(entries.some((e) => e.path.toLowerCase().includes("health")), false);
});

Deno.test("`describeRootfs()` counts the jars, links, generated files and libraries", () => {
  assert.equal(
    describeRootfs(planRootfs(INPUTS), "/c/rootfs-1"),
    "Staging the root filesystem in /c/rootfs-1: 4 jars, 4 links, 10 generated files, " +
      "1 shared libraries",
  );
});

Deno.test("`rootfsHash()` is stable and changes with a generated file or a host file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rootfs_test_" });
  try {
    await Deno.writeTextFile(`${dir}/a.jar`, "jar");
    const entries: RootfsEntry[] = [
      { kind: "file", path: "/opt/a.jar", source: `${dir}/a.jar` },
      { kind: "text", path: "/etc/x", text: "one", mode: 0o644 },
    ];
    const first = await rootfsHash(entries);
    assert.match(first, /^[0-9a-f]{64}$/);
    assert.equal(await rootfsHash(entries), first);
    const changedText = await rootfsHash([
      entries[0],
      { ...entries[1], text: "two" } as RootfsEntry,
    ]);
    assert.notEqual(changedText, first);
    await Deno.writeTextFile(`${dir}/a.jar`, "jar, longer");
    assert.notEqual(await rootfsHash(entries), first);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("`stageRootfs()` writes texts, links, directories and copies of trees", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rootfs_test_" });
  try {
    await Deno.mkdir(`${dir}/tree/bin`, { recursive: true });
    await Deno.writeTextFile(`${dir}/tree/bin/java`, "java");
    await Deno.writeTextFile(`${dir}/lib.so`, "lib");
    await stageRootfs([
      { kind: "dir", path: "/tmp", mode: 0o1777 },
      { kind: "text", path: "/etc/kafka/docker/run", text: "#!/bin/bash\n", mode: 0o755 },
      { kind: "file", path: "/lib/lib.so", source: `${dir}/lib.so` },
      { kind: "tree", path: "/opt/java", source: `${dir}/tree` },
      { kind: "symlink", path: "/bin/sh", target: "busybox" },
    ], `${dir}/root`);
    assert.equal((await Deno.stat(`${dir}/root/tmp`)).mode! & 0o7777, 0o1777);
    assert.equal((await Deno.stat(`${dir}/root/etc/kafka/docker/run`)).mode! & 0o777, 0o755);
    assert.equal(await Deno.readTextFile(`${dir}/root/etc/kafka/docker/run`), "#!/bin/bash\n");
    assert.equal(await Deno.readTextFile(`${dir}/root/lib/lib.so`), "lib");
    assert.equal(await Deno.readTextFile(`${dir}/root/opt/java/bin/java`), "java");
    assert.equal(await Deno.readLink(`${dir}/root/bin/sh`), "busybox");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("`elfFiles()` finds executables and libraries by their magic number", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rootfs_test_" });
  try {
    await Deno.mkdir(`${dir}/lib/server`, { recursive: true });
    await Deno.writeFile(
      `${dir}/lib/server/libjvm.so`,
      new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2]),
    );
    await Deno.writeTextFile(`${dir}/lib/modules.txt`, "not ELF");
    await Deno.writeFile(`${dir}/tiny`, new Uint8Array([0x7f]));
    assert.deepEqual(await elfFiles(dir), [`${dir}/lib/server/libjvm.so`]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("`sharedLibraries()` lists what bash loads, with the C library", async () => {
  const libs = await sharedLibraries(["/bin/bash"], "/nowhere");
  assert.ok(libs.some((path) => /\/libc\.so\.6$/.test(path)), libs.join(", "));
  assert.deepEqual(libs, [...libs].sort());
});

Deno.test({
  name: "`busyboxApplets()` lists the applets the image links, among them sh and sed",
  ...needs({
    name: "busybox",
    available: hasCommand("busybox"),
    install: "apt-get install -y busybox-static",
  }),
  async fn() {
    const applets = await busyboxApplets("busybox");
    assert.ok(applets.includes("sh") && applets.includes("sed") && applets.includes("sleep"));
  },
});
