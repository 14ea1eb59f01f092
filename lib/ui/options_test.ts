import assert from "node:assert/strict";
import { UI_DEFAULTS, uiConfig } from "./options.ts";

Deno.test("uiConfig() serves 127.0.0.1:8080 and shows the pipeline's default names", () => {
  const config = uiConfig({ brokers: ["b:1"] });
  assert.deepEqual(config, { ...UI_DEFAULTS, brokers: ["b:1"] });
  assert.deepEqual(
    [config.host, config.port, config.topic, config.dlqTopic, config.group, config.replayGroup],
    ["127.0.0.1", 8080, "orders", "orders-dlq", "order-processors", "orders-dlq-replayer"],
  );
});
