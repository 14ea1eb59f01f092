import assert from "node:assert/strict";
import { snapshotFixture } from "./_test_utils.ts";
import { renderSections } from "./sections.ts";

Deno.test("renderSections() carries each aggregate figure as text and as an exact data value", () => {
  const { kpis } = renderSections(snapshotFixture());
  assert.match(kpis, /id="agg-count" data-value="1190">1,190</);
  assert.match(kpis, /id="agg-revenue" data-value="357595">\$357,595\.00</);
  assert.match(kpis, /id="agg-average" data-value="300\.5">\$300\.50</);
  assert.match(kpis, /id="agg-min" data-value="15\.01">\$15\.01</);
  assert.match(kpis, /id="agg-max" data-value="1499\.37">\$1,499\.37</);
  assert.match(kpis, /id="lag-total" data-value="60">60</);
});

Deno.test("renderSections() shows the state of each part in the status bar", () => {
  const { status } = renderSections(snapshotFixture());
  assert.match(status, /id="broker-status" data-state="reachable">/);
  assert.match(status, /class="pill ok" id="group-status" data-state="stable">.*1 member</);
  assert.match(status, /id="lag-status" data-state="falling">/);
  assert.match(status, /id="dlq-status" data-state="2">/);
  const down = renderSections(
    snapshotFixture({ broker: { reachable: false, brokers: 0, error: "no answer within 3 s" } }),
  ).status;
  assert.match(
    down,
    /class="pill bad" id="broker-status" data-state="unreachable">.*no answer within 3 s/,
  );
});

Deno.test("renderSections() lists partitions with lag and aggregate, and dashes for none", () => {
  const { partitions } = renderSections(snapshotFixture());
  assert.match(
    partitions,
    /<tr data-partition="0"><td>0<\/td><td class="num">1,200<\/td><td class="num">1,250<\/td><td class="num lag" data-value="50">/,
  );
  assert.match(partitions, /<tr data-partition="1"><td>1<\/td><td class="num">–<\/td>/);
});

Deno.test("renderSections() escapes what came from Kafka in the dead letters", () => {
  const { dlq } = renderSections(snapshotFixture());
  assert.ok(!dlq.includes("<script>") && !dlq.includes("<img"), dlq);
  assert.match(dlq, /data-id="ORD-&lt;script&gt;"/);
  assert.match(dlq, /&lt;img src=x onerror=&quot;alert\(1\)&quot;&gt;/);
  assert.match(dlq, /-\$5\.00/);
  assert.match(dlq, /\(replayed 1×\)/);
  assert.match(dlq, /data-type="validation">validation <b>1<\/b>/);
});

Deno.test("renderSections() says what to do when nothing is there", () => {
  const empty = renderSections(
    snapshotFixture({
      consumerGroup: { status: "empty", state: "Empty", members: [] },
      dlq: { total: 0, byType: {}, newest: [] },
    }),
  );
  assert.match(empty.members, /No consumer is running in group <b>order-processors<\/b>/);
  assert.match(empty.dlq, /No dead letters in <b>orders-dlq<\/b>/);
});
