/**
 * The dashboard's replay action: a dry-run preview, then the replay, both
 * through `runReplay` (the code of `deno task dlq --replay`) with the
 * replayer's group, one at a time.
 *
 * @module
 */
import { type DecidedDlqRecord, replayConfig } from "../dlq/options.ts";
import { emptyTally } from "../dlq/replay_decision.ts";
import { runReplay } from "../dlq/replayer.ts";
import { inspectDlqRecord } from "../dlq/summary.ts";
import { PipelineError } from "../errors.ts";
import { toCents } from "../order/money.ts";
import { dashboardDlqConfig, type UiConfig } from "./options.ts";
import type { ReplayOutcome, ReplayRow } from "./page.ts";

/** How many decided records an outcome lists. */
export const MAX_ROWS = 200;

/** Another replay action is running. */
export class ReplayBusyError extends PipelineError {
  override name = "ReplayBusyError";
  constructor() {
    super("a replay or preview is already running; try again when it is done", {
      retriable: true,
    });
  }
}

/** The panel's row for one decided dead letter. */
export function replayRow(d: DecidedDlqRecord, dlqTopic: string): ReplayRow {
  const view = inspectDlqRecord({ ...d.record, partition: d.partition });
  const { order } = view;
  const { decision } = d;
  return {
    where: `${dlqTopic}[${d.partition}]@${d.record.offset}`,
    id: order?.orderId || view.key || "?",
    product: order?.product ?? null,
    price: order !== undefined && Number.isFinite(order.price) ? toCents(order.price) / 100 : null,
    errorType: d.errorType,
    action: decision.action === "replay"
      ? (d.dryRun ? "would-replay" : "replayed")
      : decision.action,
    detail: decision.action === "replay" ? decision.topic : decision.detail,
  };
}

/** Runs previews and replays for the dashboard, one at a time. */
export class ReplayActions {
  readonly #config: UiConfig;
  readonly #signal?: AbortSignal;
  #running = false;

  constructor(config: UiConfig, signal?: AbortSignal) {
    this.#config = config;
    this.#signal = signal;
  }

  /** What the replay would do, sending and committing nothing. */
  preview(): Promise<ReplayOutcome> {
    return this.#run(true);
  }

  /** Replays, committing the replayer group's progress. */
  replay(): Promise<ReplayOutcome> {
    return this.#run(false);
  }

  async #run(dryRun: boolean): Promise<ReplayOutcome> {
    if (this.#running) throw new ReplayBusyError();
    this.#running = true;
    try {
      const c = this.#config;
      const rows: ReplayRow[] = [];
      const result = await runReplay(
        dashboardDlqConfig(c, {
          group: c.replayGroup,
          replay: replayConfig({ dryRun, targetTopic: c.topic }),
        }),
        {
          decided: (d) => {
            if (rows.length < MAX_ROWS) rows.push(replayRow(d, c.dlqTopic));
          },
        },
        this.#signal,
      );
      return { dryRun, tally: result.tally ?? emptyTally(), rows, fatal: result.fatal };
    } finally {
      this.#running = false;
    }
  }
}
