/**
 * The bounds an execution runs under. They come from `/v1/config` (`limits`) when the execution starts
 * and stay fixed for its life, so a config change never moves the goalposts of a run under way; the
 * watchdog's period is the engine's own, the same for every execution.
 */
import { defaultLimits } from "#shared/config.ts";

export interface EngineLimits {
  /** Items one forEach step may fan out to. */
  itemsPerForEach: number;
  /** Events one execution may record; past it the execution fails (`limit_exceeded`). */
  eventsPerExecution: number;
  /** Log lines one step (or one item) may record; later lines are dropped, with one notice. */
  logLinesPerStep: number;
  /** Bytes of one step's output as JSON; a larger output fails the attempt (`output_too_large`). */
  outputBytes: number;
}

/** The defaults of `/v1/config`'s `limits` (a Durable Object's SQLite row holds at most 2 MB: one output fits one row). */
export const DEFAULT_LIMITS: EngineLimits = defaultLimits;

/**
 * While anything runs, the alarm fires at least this often to catch attempts a restart interrupted: it
 * bounds how long a crash stalls an execution. In its first seconds after admission an execution leaves
 * this to the dispatcher (dispatcher/watch-list.ts), so one that ends by then never sets an alarm.
 */
export const WATCHDOG_MS = 10_000;
