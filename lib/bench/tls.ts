/**
 * The bench's `tls` step: what TLS costs our producer and consumer. Both
 * run over PLAINTEXT and over a SASL_SSL listener of the same broker (the
 * bench starts its broker with the launcher's `--secure` for this; for
 * another broker `--tls-config` names the SASL_SSL client file), the same
 * number of orders each, listeners alternating from run to run so a drift
 * of the machine does not favour one. Topics and groups are named
 * `orders-bench-…` and `order…`, the names the launcher's application user
 * may use.
 *
 * @module
 */
import { connectionSettings } from "../cli/flags.ts";
import { UsageError } from "../errors.ts";
import { describeSecurity } from "../kafka/security.ts";
import { KafkaSession } from "../kafka/session.ts";
import type { ConnectionSettings } from "../cli/flags.ts";
import { type BenchContext, newTopic } from "./context.ts";
import { consume, ourProduce, produce } from "./ours.ts";
import { listenerPair, type TlsFigures } from "./tls_report.ts";

/** How long the TLS session waits for the broker at the start. */
const CONNECT_TIMEOUT_MS = 30_000;

/** Orders in the unmeasured warm-up over each listener. */
const WARM_UP_ORDERS = 10_000;

/**
 * The SASL_SSL connection of the `tls` step, read from `file` (the client
 * file of `--tls-config`, or of the broker the bench started secured);
 * `undefined` when there is none. Throws a UsageError when the file's
 * listener does not use TLS.
 */
export function tlsTarget(file: string | undefined): ConnectionSettings | undefined {
  if (file === undefined) return undefined;
  const connection = connectionSettings({ config: file });
  const protocol = connection.security?.protocol;
  if (protocol !== "ssl" && protocol !== "sasl_ssl") {
    throw new UsageError(
      `--tls-config must name a TLS listener (security.protocol ssl or sasl_ssl): ${file} has ${
        protocol ?? "plaintext"
      }`,
    );
  }
  return connection;
}

/** Produces and consumes `--orders` orders `--runs` times over each listener. */
export async function tlsStep(
  ctx: BenchContext,
  target: ConnectionSettings,
  valueBytes: number,
): Promise<TlsFigures> {
  const { orders, runs } = ctx.config;
  const plain: BenchContext = { ...ctx, runId: `orders-${ctx.runId}` };
  const session = await KafkaSession.open(
    { ...target, connectTimeoutMs: CONNECT_TIMEOUT_MS },
    "order-bench-tls",
  );
  const tls: BenchContext = {
    ...plain,
    brokers: target.brokers,
    security: target.security,
    session,
  };
  const listeners = { plaintext: plain, tls } as const;
  try {
    for (const [name, c] of Object.entries(listeners)) {
      ctx.progress(`tls: warm-up over ${name}, ${WARM_UP_ORDERS} orders (not measured)`);
      const topic = await newTopic(c, `tls-warm-${name}`);
      await produce(c, topic, Math.min(orders, WARM_UP_ORDERS));
      await consume(c, topic, Math.min(orders, WARM_UP_ORDERS));
    }
    const produced = { plaintext: [] as number[], tls: [] as number[] };
    const consumed = { plaintext: [] as number[], tls: [] as number[] };
    for (let run = 1; run <= runs; run++) {
      const order = run % 2 === 1
        ? (["plaintext", "tls"] as const)
        : (["tls", "plaintext"] as const);
      for (const name of order) {
        const c = listeners[name];
        const topic = await newTopic(c, `tls-${name}-${run}`);
        ctx.progress(`tls ${run}/${runs}: ours over ${name}, ${orders} orders into ${topic}`);
        produced[name].push((await ourProduce(c, topic, orders, valueBytes)).ordersPerSec);
        const timing = await consume(c, topic, orders);
        consumed[name].push(orders / (timing.firstToLastMs / 1000));
      }
    }
    return {
      listener: describeSecurity(target.security),
      brokers: target.brokers.join(","),
      orders,
      produce: listenerPair(produced.plaintext, produced.tls),
      consume: listenerPair(consumed.plaintext, consumed.tls),
    };
  } finally {
    await session.close();
  }
}
