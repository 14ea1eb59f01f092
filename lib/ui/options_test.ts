import assert from "node:assert/strict";
import { dashboardDlqConfig, UI_DEFAULTS, uiConfig } from "./options.ts";

Deno.test("uiConfig() serves 127.0.0.1:8080 and shows the pipeline's default names", () => {
  const config = uiConfig({ brokers: ["b:1"] });
  assert.deepEqual(config, { ...UI_DEFAULTS, brokers: ["b:1"] });
  assert.deepEqual(
    [config.host, config.port, config.topic, config.dlqTopic, config.group, config.replayGroup],
    ["127.0.0.1", 8080, "orders", "orders-dlq", "order-processors", "orders-dlq-replayer"],
  );
});

Deno.test("dashboardDlqConfig() carries the dashboard's TLS, SASL and client id to its DLQ clients", () => {
  const security = { ssl: true as const, sasl: undefined } as unknown as NonNullable<
    ReturnType<typeof uiConfig>["security"]
  >;
  const config = uiConfig({ brokers: ["b:1"], security, clientId: "dash", dlqTopic: "d" });
  const dlq = dashboardDlqConfig(config, { group: "g", fromBeginning: true });
  assert.equal(dlq.security, security);
  assert.deepEqual(
    [dlq.brokers, dlq.clientId, dlq.topic, dlq.group, dlq.fromBeginning, dlq.output],
    [["b:1"], "dash", "d", "g", true, "quiet"],
  );
});
