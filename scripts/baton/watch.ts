/**
 * `--watch`: follows an execution to its end. On a terminal it redraws the progress display in place on
 * every event, every second (countdowns move) and when the terminal is resized; in a pipe it prints one
 * line per event; with `--json` one event per line. Returns the final state.
 */
import type { ExecutionState } from "#shared/execution.ts";
import { terminalExecutionStatuses } from "#shared/execution.ts";
import { type CliContext, EXIT } from "./context.ts";
import { eventLine } from "./event-line.ts";
import { liveBlock } from "./live-block.ts";
import { printJson } from "./output.ts";
import { renderProgress } from "./progress.ts";
import { applyEvent } from "#shared/client/reduce.ts";
import { applyStreamEvent, lastLines, type StreamTexts } from "./stream-tail.ts";

export async function watchExecution(ctx: CliContext, id: string): Promise<ExecutionState> {
  const { client, out } = ctx;
  let state = await client.executions.get(id);
  let streams: StreamTexts = new Map();
  const finished = () => terminalExecutionStatuses.has(state.status);
  const onReconnect = ({ attempt }: { attempt: number }) => {
    if (!out.tty) out.error(`event stream interrupted; reconnecting (${attempt})\n`);
  };

  if (out.json || !out.tty) {
    // Scripts and logs get the whole story from the first event (a finished execution replays it all).
    for await (const event of client.executions.events(id, { onReconnect })) {
      if (out.json) printJson(out, event, false);
      else out.write(`${eventLine(event)}\n`);
    }
    return client.executions.get(id);
  }

  const block = liveBlock(out.write);
  const render = () => {
    const lines = renderProgress(state, { now: ctx.now(), color: out.color, streamTails: lastLines(streams) });
    block.draw(lines, out.size());
  };
  render();
  const ticker = setInterval(render, 1000);
  const stopResize = out.onResize(render);
  try {
    if (!finished()) {
      for await (const event of client.executions.events(id, { after: state.lastEventSeq, onReconnect })) {
        state = applyEvent(state, event);
        streams = applyStreamEvent(streams, event);
        render();
      }
    }
    // The final state has what events only summarize (outputs, every step's end).
    state = await client.executions.get(id);
    render();
  } finally {
    clearInterval(ticker);
    stopResize();
  }
  return state;
}

/** 0 completed, 1 failed, 3 cancelled (2 is for usage errors). */
export function exitCodeOf(state: ExecutionState): number {
  return state.status === "completed" ? EXIT.ok : state.status === "cancelled" ? EXIT.cancelled : EXIT.failed;
}
