/**
 * The live display of `baton run --watch`: one header line for the execution, then one line per step with
 * what it is doing right now (a bar for `15/30`, the attempt and countdown of a retry, why it waits, the
 * last line a streaming step wrote). Pure: a state and a clock in, lines out; the same function draws on
 * a terminal and in tests. Text from outside (messages, agent output) is flattened to one line here;
 * fitting lines to the terminal's width is the live block's job (live-block.ts).
 */
import type { ExecutionState, StepState } from "#shared/execution.ts";
import { oneLine } from "./fit.ts";
import { type Color, paint } from "./output.ts";

export interface ProgressOptions {
  now: number;
  color: boolean;
  /** The last line each streaming step wrote so far (`step.stream` events), by step id. */
  streamTails?: ReadonlyMap<string, string>;
}

const BAR_WIDTH = 20;

const symbols: Record<StepState["status"], [string, Color]> = {
  pending: ["·", "gray"],
  running: ["▸", "cyan"],
  retrying: ["↻", "yellow"],
  waiting: ["⏸", "magenta"],
  completed: ["✓", "green"],
  failed: ["✗", "red"],
  skipped: ["–", "gray"],
  cancelled: ["⊘", "gray"],
};

const executionColors: Record<ExecutionState["status"], Color> = {
  queued: "gray",
  running: "cyan",
  waiting: "magenta",
  paused: "yellow",
  completed: "green",
  failed: "red",
  cancelled: "gray",
};

/** `1.2s`, `42s`, `3m05s`, `1h02m`. */
export function duration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.floor(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

export function bar(current: number, total: number): string {
  const ratio = total > 0 ? Math.min(1, Math.max(0, current / total)) : 0;
  const filled = Math.round(ratio * BAR_WIDTH);
  return `[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}]`;
}

function stepDetail(step: StepState, now: number, streamTail: string | undefined): string {
  const attempt = step.maxAttempts > 1 ? `attempt ${step.attempt}/${step.maxAttempts}` : "";
  switch (step.status) {
    case "running": {
      if (step.items) return `${bar(step.items.completed, step.items.total)} ${step.items.completed}/${step.items.total} items`;
      const parts = step.progress
        ? [bar(step.progress.current, step.progress.total), `${step.progress.current}/${step.progress.total}`, oneLine(step.progress.message ?? "")]
        : [step.startedAt !== null ? duration(now - step.startedAt) : ""];
      if (step.attempt > 1) parts.push(`(${attempt})`);
      if (streamTail) parts.push(`› ${streamTail}`);
      return parts.filter((p) => p !== "").join("  ");
    }
    case "retrying": {
      const wait = step.wakeAt !== null ? `retry in ${duration(step.wakeAt - now)}` : "retrying";
      return [`${attempt} failed`, step.error ? `— ${oneLine(step.error.message)}` : "", `· ${wait}`].filter((p) => p !== "").join(" ");
    }
    case "waiting": {
      const why = step.waitingFor ?? "waiting";
      if (step.waitingFor === "approval") {
        const message = (step.input as { message?: unknown } | null)?.message;
        const timeout = step.wakeAt !== null ? ` (times out in ${duration(step.wakeAt - now)})` : "";
        return `waiting for approval${typeof message === "string" ? `: "${oneLine(message)}"` : ""}${timeout}`;
      }
      return `waiting for ${why}`;
    }
    case "completed":
      return step.startedAt !== null && step.endedAt !== null ? duration(step.endedAt - step.startedAt) : "";
    case "failed":
      return step.error ? `${step.error.code}: ${oneLine(step.error.message)}` : "";
    default:
      return "";
  }
}

export function renderProgress(state: ExecutionState, options: ProgressOptions): string[] {
  const { now, color } = options;
  const idWidth = Math.max(4, ...state.steps.map((s) => s.id.length));
  const elapsed = state.startedAt !== null ? duration((state.endedAt ?? now) - state.startedAt) : "not started";
  const header = [
    paint(color, "bold", `${state.templateId} v${state.templateVersion}`),
    paint(color, "gray", state.id),
    paint(color, executionColors[state.status], state.status),
    elapsed,
    `$${state.costUsd.toFixed(4)}`,
    state.reason ? paint(color, "gray", `(${oneLine(state.reason)})`) : "",
  ]
    .filter((p) => p !== "")
    .join("  ");
  const lines = [header];
  for (const step of state.steps) {
    const [symbol, tint] = symbols[step.status];
    const detail = stepDetail(step, now, options.streamTails?.get(step.id));
    const quiet = step.status === "pending" || step.status === "skipped" || step.status === "cancelled";
    const status = paint(color, tint, detail ? step.status.padEnd(9) : step.status);
    lines.push(`  ${paint(color, tint, symbol)} ${step.id.padEnd(idWidth)}  ${status}${detail ? `  ${quiet ? paint(color, "gray", detail) : detail}` : ""}`);
  }
  if (state.error) lines.push(paint(color, "red", `  ${state.error.code}: ${oneLine(state.error.message)}`));
  return lines;
}
