/**
 * The dashboard's state, kept current from the broker: every second it
 * reads the offsets, commits and group (see `gather.ts`), and every second,
 * whether that read came back or not, it takes a {@linkcode Snapshot};
 * its followers feed the latency chart and the dead-letter panel as
 * records arrive. The server shows the latest snapshot and pushes each new
 * one.
 *
 * @module
 */
import type { Consumer } from "kafkajs";
import { describeError } from "../kafka/errors.ts";
import { every } from "../kafka/lifecycle.ts";
import { KafkaSession } from "../kafka/session.ts";
import { ensureTopics } from "../kafka/topics.ts";
import { emptyAggregate, summarize } from "../order/aggregate.ts";
import { CommitLatency } from "./commit_latency.ts";
import { DlqPanel } from "./dlq_panel.ts";
import { followCommits, followOrders, RESTART_MS, watchDeadLetters } from "./followers.ts";
import { readBrokerState } from "./gather.ts";
import type { UiConfig } from "./options.ts";
import { ReplayActions } from "./replay.ts";
import { Series } from "./series.ts";
import {
  groupStatus,
  lagTrend,
  type PartitionRow,
  partitionRows,
  type Snapshot,
  TREND_SECONDS,
} from "./snapshot.ts";

/** How often the dashboard reads the broker and pushes an update. */
export const TICK_MS = 1000;

/** How long the last read may be outstanding before the page says the broker does not answer. */
export const STALE_MS = 2500;

/** The dashboard's live state. */
export class Dashboard {
  /** The replay action, shared by every page. */
  readonly replay: ReplayActions;
  readonly #config: UiConfig;
  readonly #session: KafkaSession;
  readonly #warn: (text: string) => void;
  readonly #stop = new AbortController();
  readonly #series = new Series();
  readonly #latency: CommitLatency;
  #panel = new DlqPanel();
  readonly #lagTotals: number[] = [];
  readonly #listeners = new Set<(s: Snapshot) => void>();
  readonly #tasks: Promise<unknown>[] = [];
  #last: { partitions: PartitionRow[]; aggregate: Snapshot["aggregate"] } = {
    partitions: [],
    aggregate: summarize(emptyAggregate()),
  };
  #snapshot!: Snapshot;
  #readAt = 0;
  #broker: Snapshot["broker"] = { reachable: false, brokers: 0, error: "not read yet" };
  #group: Snapshot["consumerGroup"] = { status: "unknown", state: "Unknown", members: [] };
  #stopTicking = () => {};

  private constructor(config: UiConfig, session: KafkaSession, warn: (text: string) => void) {
    this.#config = config;
    this.#session = session;
    this.#warn = warn;
    this.#latency = new CommitLatency((ms, at) => this.#series.latency(ms, at));
    this.replay = new ReplayActions(config, this.#stop.signal);
  }

  /**
   * Connects (a FatalError when the broker does not answer within the
   * connect timeout), makes sure the topics exist, takes the first snapshot
   * and starts following.
   */
  static async open(config: UiConfig, warn: (text: string) => void): Promise<Dashboard> {
    const session = await KafkaSession.open(config, "order-dashboard");
    try {
      await ensureTopics(session.admin, [{ topic: config.topic }, { topic: config.dlqTopic }]);
      const dashboard = new Dashboard(config, session, warn);
      await dashboard.#read();
      dashboard.#publish();
      dashboard.#start();
      return dashboard;
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  /** The latest snapshot. */
  snapshot(): Snapshot {
    return this.#snapshot;
  }

  /** Calls `listener` with every new snapshot until the returned function is called. */
  subscribe(listener: (s: Snapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops following and disconnects. */
  async close(): Promise<void> {
    this.#stop.abort();
    this.#stopTicking();
    await Promise.allSettled(this.#tasks);
    await this.#session.close();
  }

  #start(): void {
    const stopReading = every(TICK_MS, () => this.#read());
    const stopPublishing = every(TICK_MS, () => this.#publish());
    this.#stopTicking = () => {
      stopReading();
      stopPublishing();
    };
    this.#tasks.push(
      this.#follow("orders", () => followOrders(this.#session, this.#config, this.#latency)),
      this.#follow("commits", () => followCommits(this.#session, this.#config, this.#latency)),
      watchDeadLetters(this.#config, {
        seen: (view) => this.#panel.add(view),
        restarted: () => (this.#panel = new DlqPanel()),
        warn: this.#warn,
      }, this.#stop.signal),
    );
  }

  /** Keeps a follower running: starts it again after a failure or a crash it does not survive. */
  async #follow(what: string, start: () => Promise<Consumer>): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      let consumer: Consumer | undefined;
      try {
        consumer = await start();
        const c = consumer;
        await new Promise<void>((resolve) => {
          // Stopped while it started: an aborted signal fires no more events.
          if (signal.aborted) return resolve();
          c.on(c.events.CRASH, (e) => {
            if (!e.payload.restart) resolve();
          });
          signal.addEventListener("abort", () => resolve(), { once: true });
        });
      } catch (error) {
        this.#warn(`dashboard: following ${what} failed: ${describeError(error)}`);
      }
      await consumer?.disconnect().catch(() => {});
      if (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, RESTART_MS));
    }
  }

  /** Reads the broker once and keeps what it found for the next updates. */
  async #read(): Promise<void> {
    const { topic, group } = this.#config;
    const state = await readBrokerState(this.#session.admin, topic, group);
    const at = Date.now();
    this.#readAt = at;
    if (!state.reachable) {
      this.#broker = { reachable: false, brokers: 0, error: state.error };
      this.#group = { status: "unknown", state: "Unknown", members: [] };
      return;
    }
    const { rows, aggregate, lag } = partitionRows(state.committed, state.logs);
    this.#last = { partitions: rows, aggregate };
    const appended = rows.reduce((sum, r) => sum + r.logEnd, 0);
    this.#series.polled(at, appended, appended - lag);
    this.#lagTotals.push(lag);
    if (this.#lagTotals.length > TREND_SECONDS + 1) this.#lagTotals.shift();
    this.#broker = { reachable: true, brokers: state.brokers };
    this.#group = {
      status: groupStatus(state.groupState),
      state: state.groupState,
      members: state.members,
    };
  }

  /**
   * Takes a snapshot from the latest read and hands it to every listener.
   * Runs every second whatever the broker does: a read that has not come
   * back for {@linkcode STALE_MS} shows as the broker not answering.
   */
  #publish(): void {
    const { topic, dlqTopic, group } = this.#config;
    const at = Date.now();
    const stale = at - this.#readAt > STALE_MS;
    const reachable = this.#broker.reachable && !stale;
    this.#snapshot = {
      at,
      topic,
      dlqTopic,
      group,
      broker: stale
        ? {
          reachable: false,
          brokers: 0,
          error: `no answer for ${Math.round((at - this.#readAt) / 1000)} s`,
        }
        : this.#broker,
      consumerGroup: reachable ? this.#group : { status: "unknown", state: "Unknown", members: [] },
      partitions: this.#last.partitions,
      aggregate: this.#last.aggregate,
      lag: {
        total: this.#last.partitions.reduce((sum, r) => sum + r.lag, 0),
        trend: reachable ? lagTrend(this.#lagTotals, this.#series.inPerSecond) : "unknown",
      },
      dlq: this.#panel.figures(),
      charts: this.#series.chart(at),
    };
    for (const listener of this.#listeners) listener(this.#snapshot);
  }
}
