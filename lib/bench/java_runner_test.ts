import assert from "node:assert/strict";
import { type JavaTools, runJava } from "./java_runner.ts";

/** "Java" as a shell: the options are `-c <script> sh`, so the tool arguments land in $@. */
function shell(script: string): JavaTools {
  return { command: "sh", options: ["-c", script, "sh"], classpath: "cp.jar", version: "4.1.0" };
}

Deno.test("runJava() passes options, classpath and arguments and returns stdout", async () => {
  assert.equal(
    await runJava(shell('echo "$@"'), ["org.example.Tool", "--x"]),
    "-cp cp.jar org.example.Tool --x\n",
  );
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
