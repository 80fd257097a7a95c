/**
 * `--watch`: follows an execution to its end. On a terminal it redraws the progress display in place on
 * every event and every second (countdowns move); in a pipe it prints one line per event; with `--json`
 * one event per line. Returns the final state.
 */
import type { ExecutionState } from "#shared/execution.ts";
import { terminalExecutionStatuses } from "#shared/execution.ts";
import { type CliContext, EXIT } from "./context.ts";
import { eventLine } from "./event-line.ts";
import { printJson } from "./output.ts";
import { renderProgress } from "./progress.ts";
import { applyEvent } from "#shared/client/reduce.ts";

/** Redraws a block of lines in place: cursor up over the last drawing, clear to the end, draw. */
function liveBlock(write: (text: string) => void) {
  let drawn = 0;
  return (lines: string[]) => {
    write(`${drawn > 0 ? `\x1b[${drawn}F\x1b[J` : ""}${lines.join("\n")}\n`);
    drawn = lines.length;
  };
}

export async function watchExecution(ctx: CliContext, id: string): Promise<ExecutionState> {
  const { client, out } = ctx;
  let state = await client.executions.get(id);
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

  const draw = liveBlock(out.write);
  const render = () => draw(renderProgress(state, { now: ctx.now(), color: out.color, columns: out.columns }));
  render();
  const ticker = setInterval(render, 1000);
  try {
    if (!finished()) {
      for await (const event of client.executions.events(id, { after: state.lastEventSeq, onReconnect })) {
        state = applyEvent(state, event);
        render();
      }
    }
    // The final state has what events only summarize (outputs, every step's end).
    state = await client.executions.get(id);
    render();
  } finally {
    clearInterval(ticker);
  }
  return state;
}

/** 0 completed, 1 failed, 3 cancelled (2 is for usage errors). */
export function exitCodeOf(state: ExecutionState): number {
  return state.status === "completed" ? EXIT.ok : state.status === "cancelled" ? EXIT.cancelled : EXIT.failed;
}
