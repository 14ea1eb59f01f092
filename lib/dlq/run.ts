/**
 * One run of the DLQ tool in either mode, with its start line and summary:
 * what `dlq_consumer.ts` and the dashboard's replay share.
 *
 * @module
 */
import { runMonitor } from "./monitor.ts";
import type { DlqConfig, DlqEvents } from "./options.ts";
import { runReplay } from "./replayer.ts";
import {
  monitorStartLine,
  monitorSummaryLines,
  replayStartLine,
  replaySummaryLines,
} from "./report.ts";

/**
 * Replays when `config.replay` is set, else watches; prints the start line
 * (text mode) and the summary through `events.line`. Returns the fatal
 * reason, if the run stopped on one.
 */
export async function runDlqTool(
  config: DlqConfig,
  events: DlqEvents,
  signal: AbortSignal,
  modes: { runMonitor: typeof runMonitor; runReplay: typeof runReplay } = {
    runMonitor,
    runReplay,
  },
): Promise<string | undefined> {
  const print = (line: string) => events.line?.(line);
  const { replay } = config;
  if (replay !== undefined) {
    if (config.output === "text") print(replayStartLine(config, replay));
    const result = await modes.runReplay(config, events, signal);
    for (const line of replaySummaryLines(config, replay, result.tally)) print(line);
    return result.fatal;
  }
  const started = () => {
    if (config.output === "text") print(monitorStartLine(config));
  };
  const result = await modes.runMonitor(config, { ...events, started }, signal);
  for (const line of monitorSummaryLines(config, result.summary)) print(line);
  return result.fatal;
}
