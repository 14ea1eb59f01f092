import assert from "node:assert/strict";
import { type JavaTools, runJava } from "./java_runner.ts";

/** "Java" as a shell: the options are `-c <script> sh`, so the tool arguments land in $@. */
function shell(script: string): JavaTools {
  return { command: "sh", options: ["-c", script, "sh"], classpath: "cp.jar", version: "4.1.0" };
}

Deno.test("runJava() passes options, classpath and arguments and returns stdout", async () => {
  const { stdout } = await runJava(shell('echo "$@"'), ["org.example.Tool", "--x"]);
  assert.equal(stdout, "-cp cp.jar org.example.Tool --x\n");
});

Deno.test({
  name: "runJava() measures the tool's process: wall time, CPU time and peak RSS",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const { process } = await runJava(shell("i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done"), [
      "Tool",
    ]);
    assert.ok(process.wallMs > 0 && process.peakRssMb > 0, JSON.stringify(process));
    assert.ok(process.cpuMs >= 0 && process.cpuMs <= process.wallMs + 50, JSON.stringify(process));
  },
});

Deno.test("runJava() fails with the tool, its exit code and its output", async () => {
  await assert.rejects(runJava(shell("echo out; echo err >&2; exit 3"), ["Tool"]), {
    name: "FatalError",
    message: "Tool exited with code 3:\nout\nerr\n",
  });
});

Deno.test("runJava() says how to go on when java is not installed", async () => {
  const java = { ...shell(""), command: "/nonexistent/bin/java" };
  await assert.rejects(runJava(java, ["Tool"]), {
    name: "FatalError",
    message: "/nonexistent/bin/java not found: install Java 17+ or run with --no-java",
  });
});
